"""`data/import_names.json` comes from `scripts/import_names.py`, which reads wheels and, for a
distribution with no wheel, the egg-info of its source distribution."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from prodready.source.modules import (
    floors_of,
    installs_no_module,
    provides_known,
    read_version,
    with_requirements,
)

ROOT = Path(__file__).resolve().parents[1]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_names", ROOT / "scripts" / "import_names.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_sdist_egg_info_gives_import_names_and_requirements() -> None:
    # bravado 12.0.1 and fvcore publish only source distributions
    requires = (
        "bravado-core>=5.16.1\nmsgpack\nrequests>=2.17\n\n"
        '[:python_version<"3.5"]\ntyping\n\n[fido]\nfido>=4.2.1\n\n'
        '[tls:sys_platform == "win32"]\npywin32\n'
    )
    tops, needs = script().egg_info({"top_level.txt": "bravado\n", "requires.txt": requires})
    assert tops == ["bravado"]
    # each requirement of every install with how it bounds the version (">" a floor)
    assert needs == ["[fido]fido", "bravado-core>", "msgpack", "requests>"]


def test_a_requirement_records_its_floor() -> None:
    bound_of = script().bound_of
    assert bound_of(">=3.1.2") == ">"
    assert bound_of(" (>=1.0)") == ">"
    assert bound_of("~=1.4") == ">"
    assert bound_of("==2.*") == ">"
    assert bound_of("==2.9.0") == "="
    assert bound_of("<3") == ""
    assert bound_of("") == ""
    assert bound_of(" @ https://example.org/x.whl") == ""
    metadata = "Name: x\nRequires-Dist: Jinja2>=3.1.2\nRequires-Dist: six\nRequires-Dist: h2; extra == 'http2'\n\nbody"
    assert script().always_required(metadata) == ["[http2]h2", "jinja2>", "six"]


def test_a_namespace_top_says_nothing_and_no_top_reads_nothing() -> None:
    egg_info = script().egg_info
    files = {"top_level.txt": "google\n", "namespace_packages.txt": "google\n"}
    assert egg_info({**files, "requires.txt": "protobuf\n"}) == ([], [])
    assert egg_info({"requires.txt": "numpy\n"}) == ([], [])


def test_only_the_sdists_own_egg_info_is_read() -> None:
    own = script()._egg_info_file
    assert own("rouge_score-0.1.2/rouge_score.egg-info/requires.txt")
    assert own("pkg-1.0/src/pkg.egg-info/top_level.txt")
    assert not own("pkg-1.0/vendor/other/x.egg-info/requires.txt")
    assert not own("pkg-1.0/pkg.egg-info/SOURCES.txt")


def test_the_data_knows_sdist_only_distributions() -> None:
    # what the sdists' egg-info says: maxminddb-geolite2 brings maxminddb, rouge-score absl-py
    assert provides_known("maxminddb-geolite2")
    assert "maxminddb" in with_requirements({"maxminddb-geolite2"})
    assert "absl-py" in with_requirements({"rouge-score"})
    assert "yacs" in with_requirements({"fvcore"})


def test_the_data_knows_floors_of_requirements() -> None:
    # flask's wheel requires Jinja2>=3.1.2, and werkzeug (which flask brings) MarkupSafe>=2.1.1
    assert {"jinja2", "itsdangerous", "markupsafe"} <= floors_of({"flask"})


def test_the_data_records_the_release_it_read() -> None:
    # the tables speak of the release read: pypika-tortoise 0.6 provides `pypika_tortoise`
    # where 0.3 provided `pypika`
    assert read_version("pypika-tortoise") is not None
    data = script()._data({"x-dist": (["x"], ["six>"], "1.2"), "gone": ([], [], "3")})
    assert data["versions"] == {"x-dist": "1.2"}


def test_a_meta_package_installs_no_module_of_its_own() -> None:
    # pyobjc's wheel holds no module; it requires pyobjc-framework-cocoa, which gives `AppKit`
    assert installs_no_module("pyobjc")
    assert "pyobjc-framework-cocoa" in with_requirements({"pyobjc"})
    assert not installs_no_module("requests")
    assert "six" in with_requirements({"django-agnocomplete"})
