"""Answers the tools treat as the same are graded the same; answers that differ in effect are not."""

from __future__ import annotations

import json

import pytest
import yaml

from opsprep.questions import Requirement, Response, grade_response


@pytest.mark.parametrize(
    ("form", "accepted", "same", "different"),
    [
        (
            "kubeadm",
            "kubeadm token create --ttl 2h",
            [
                "kubeadm token create --ttl=120m",
                "kubeadm token create --ttl 2h0m0s",
                "kubeadm token create --ttl 7200s",
            ],
            ["kubeadm token create --ttl 3h"],
        ),
        (
            "kubectl",
            "kubectl apply -f deploy.yaml --dry-run=client",
            ["kubectl apply -f ./deploy.yaml --dry-run=client"],
            ["kubectl apply -f other.yaml --dry-run=client"],
        ),
        (
            "kubectl",
            "kubectl apply -k overlays/prod",
            ["kubectl apply -k overlays/prod/"],
            ["kubectl apply -k overlays/dev"],
        ),
        (
            "kubectl",
            "kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
            [
                "kubectl get pods -o custom-columns=NAME:metadata.name,NODE:spec.nodeName",
                "kubectl get pods -o 'custom-columns=NAME:{.metadata.name},NODE:{.spec.nodeName}'",
            ],
            ["kubectl get pods -o custom-columns=NAME:.metadata.name"],
        ),
        (
            "kubectl",
            "kubectl get pods --sort-by=.metadata.creationTimestamp",
            [
                "kubectl get pods --sort-by='{.metadata.creationTimestamp}'",
                "kubectl get pods --sort-by=metadata.creationTimestamp",
            ],
            ["kubectl get pods --sort-by=.metadata.name"],
        ),
        (
            "kubectl",
            "kubectl create clusterrole node-reader --verb=get,list,watch --resource=nodes",
            [
                "kubectl create clusterrole node-reader --verb=get --verb=list --verb=watch --resource=nodes",
                "kubectl create clusterrole node-reader --verb=watch,get,list --resource=nodes",
            ],
            ["kubectl create clusterrole node-reader --verb=get,list --resource=nodes"],
        ),
        ("terraform", "terraform fmt -recursive", ["terraform fmt -recursive ."], ["terraform fmt"]),
        ("terraform", "terraform show", ["terraform show -no-color"], ["terraform show -json"]),
    ],
)
def test_equivalent_command_lines(form: str, accepted: str, same: list[str], different: list[str]) -> None:
    response = Response(form=form, accepted=(accepted,))
    for text in same:
        assert grade_response(response, text).correct, text
    for text in different:
        assert not grade_response(response, text).correct, text


def _requirement(rid: str, document: str, path: str, op: str, value: object = None) -> Requirement:
    return Requirement(rid, rid, document, path, op, json.dumps(value))


QUOTA = Response(
    form="manifest",
    requirements=(
        _requirement("pods", "ResourceQuota/q", "spec.hard.pods", "equals", "50"),
        _requirement("cpu", "ResourceQuota/q", 'spec.hard."requests.cpu"', "equals", "10"),
        _requirement("memory", "ResourceQuota/q", 'spec.hard."requests.memory"', "equals", "32Gi"),
    ),
)


def _quota(hard: dict) -> str:
    return yaml.safe_dump(
        {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": {"hard": hard}}
    )


def test_quantities_compare_by_amount() -> None:
    same = _quota({"pods": 50, "requests.cpu": "10000m", "requests.memory": "32768Mi"})
    assert grade_response(QUOTA, same).correct
    less = _quota({"pods": "50", "requests.cpu": "10", "requests.memory": "32Mi"})
    verdict = grade_response(QUOTA, less)
    assert [r.met for r in verdict.results] == [True, True, False]


def test_a_number_is_not_its_string_outside_quantity_fields() -> None:
    replicas = Response(
        form="manifest", requirements=(_requirement("r", "Deployment/web", "spec.replicas", "equals", 3),)
    )
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": "3"}}
    assert not grade_response(replicas, yaml.safe_dump(deployment)).results[0].met


def test_selectors_match_an_element_of_a_list_valued_key() -> None:
    """``rules[resources=pods]`` picks the rules naming pods, so verbs spread over two rules still count."""
    role = Response(
        form="manifest",
        requirements=tuple(
            _requirement(v, "Role/r", "rules[resources=pods].verbs", "contains", v) for v in ("get", "list", "watch")
        ),
    )
    split = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "r"},
        "rules": [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["list", "get"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch"]},
        ],
    }
    assert grade_response(role, yaml.safe_dump(split)).correct
    elsewhere = dict(
        split, rules=[split["rules"][0], {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["watch"]}]
    )
    assert [r.met for r in grade_response(role, yaml.safe_dump(elsewhere)).results] == [True, True, False]


def test_container_quantities_compare_by_amount_through_selectors() -> None:
    response = Response(
        form="manifest",
        requirements=(
            _requirement(
                "cpu", "Deployment/w", "spec.template.spec.containers[name=w].resources.requests.cpu", "equals", "250m"
            ),
            _requirement(
                "memory",
                "Deployment/w",
                "spec.template.spec.containers[name=w].resources.limits.memory",
                "equals",
                "256Mi",
            ),
        ),
    )
    container = {"name": "w", "image": "nginx", "resources": {"requests": {"cpu": "0.25"}, "limits": {}}}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "w"},
        "spec": {
            "selector": {"matchLabels": {"app": "w"}},
            "template": {"metadata": {"labels": {"app": "w"}}, "spec": {"containers": [container]}},
        },
    }
    for memory, met in (("268435456", True), ("0.25Gi", True), ("256M", False)):
        container["resources"]["limits"]["memory"] = memory
        assert [r.met for r in grade_response(response, yaml.safe_dump(deployment)).results] == [True, met], memory
