"""The shared folders: every upstream release under ../shared is known, read as the server reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conformance import shared_folders
from tests.conformance.shared_folders import (
    CRD_FOLDERS,
    KARPENTER_AWS_BUILD,
    KUBERAY_RELEASES,
    SHARED_FOLDERS,
    KubeYamlLoader,
    iter_sample_documents,
    kuberay_release,
    load_yaml_documents,
    require_shared_folder,
    shared_folder,
)


def test_every_crd_folder_of_shared_crds_is_registered() -> None:
    root = require_shared_folder("kueue").parent  # ../shared/crds
    on_disk = {path.parent for path in root.glob("*/crds/*.yaml")}
    assert on_disk == {folder.path / "crds" for folder in CRD_FOLDERS}
    assert KARPENTER_AWS_BUILD.crd_files(), "the AWS build of NodePool/NodeClaim is missing"


@pytest.mark.parametrize("name", sorted(SHARED_FOLDERS))
def test_declared_groups_are_the_groups_of_the_files(name: str) -> None:
    require_shared_folder(name)
    folder = shared_folder(name)
    # controller-gen names each file <group>_<plural>.yaml.
    groups = {path.name.split("_", 1)[0] for path in folder.crd_files()}
    assert groups == set(folder.groups)


def test_each_absent_folder_says_which_and_where(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shared_folders, "SHARED_ROOT", tmp_path / "shared")
    for name, folder in SHARED_FOLDERS.items():
        assert not folder.available()
        with pytest.raises(pytest.skip.Exception) as skipped:
            require_shared_folder(name)
        reason = str(skipped.value)
        assert str(tmp_path / "shared" / folder.relative) in reason
        assert folder.title in reason


def test_releases_by_minor_or_full_version() -> None:
    assert [release.minor for release in KUBERAY_RELEASES] == ["1.5", "1.6", "1.7"]
    assert kuberay_release("v1.6.2") is kuberay_release("1.6") is KUBERAY_RELEASES[1]
    assert kuberay_release("1.5").operator_version == "1.5.1"  # the library's default
    assert kuberay_release("1.7").label == "KubeRay 1.7 (v1.7.0)"
    with pytest.raises(KeyError, match=r"no KubeRay release '1\.4'"):
        kuberay_release("1.4")


def test_samples_of_a_release() -> None:
    shared_folders.require_shared_kuberay("1.7")
    cron_jobs = list(iter_sample_documents("RayCronJob", release="1.7"))
    assert cron_jobs
    assert all(path.is_relative_to(kuberay_release("1.7").folder.path) for path, _, _ in cron_jobs)
    assert not list(iter_sample_documents("RayCronJob"))  # 1.5 has none


YAML_CASES = [
    "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: '1'\ng: \"yes\"\nh: yes\ni: 0x1F\nj: 1e3\n",
    "at: 2026-04-22T10:00:00Z\nlist: [1, two, {x: y}]\nempty: {}\nnone: []\n",
    "---\nfirst: 1\n---\n---\nthird: [a, b]\n...\n",
    "block: |\n  line one\n  line two\nfolded: >\n  a\n  b\nkey with spaces: v\n",
    "base: &anchor {a: 1}\ncopy: *anchor\n",  # anchors and aliases: the full loader
    "tagged: !!str 123\nbinary: !!binary aGVsbG8=\n",  # explicit tags: the full loader
    "<<: {merged: 1}\nown: 2\n",  # merge keys: the full loader
    "? explicit\n: key syntax\n",
    "",
]


@pytest.mark.parametrize("text", YAML_CASES)
def test_fast_yaml_reading_gives_what_pyyaml_gives(tmp_path: Path, text: str) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    assert load_yaml_documents(path) == list(yaml.load_all(text, Loader=KubeYamlLoader))


def test_fast_yaml_reading_of_real_files() -> None:
    folder = require_shared_folder("kuberay-1.5")
    files = [*sorted((folder / "samples").glob("*.yaml"))[:40], *shared_folder("kueue").crd_files()]
    for path in files:
        with path.open() as stream:
            assert load_yaml_documents(path) == list(yaml.load_all(stream, Loader=KubeYamlLoader))
