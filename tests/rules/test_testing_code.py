"""TEST007-TEST009, SEC003 and the inline suppressions (CFG002, CFG003)."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PROJECT = '[project]\nname = "pkg"\nversion = "1"\n'
HELPER = "def check_result(value):\n    assert value == 2\n"


def activation(call_body: str) -> dict[str, str | bytes]:
    """virtualenv's activation tests: a fixture runs the tester class the test names, whose
    `__call__` (in the conftest) has `call_body`."""
    return {
        "tests/activation/conftest.py": "import pytest\n\nclass ActivationTester:\n"
        "    def __call__(self, monkeypatch, tmp_path):\n"
        + call_body
        + "\n@pytest.fixture\ndef activation_tester(activation_python, monkeypatch, tmp_path):\n"
        "    def _tester(tester_class):\n"
        "        tester = tester_class(activation_python)\n"
        "        return tester(monkeypatch, tmp_path)\n\n    return _tester\n",
        "tests/activation/test_bash.py": "def test_bash(activation_tester_class, activation_tester):\n"
        "    class Bash(activation_tester_class):\n        pass\n\n"
        "    activation_tester(Bash)\n",
    }


SETTINGS = 'SECRET_KEY = "k9#m2$wq8z!vx7@p4l"\n'
CASES = [
    Case(
        "warnings-as-errors-fail-on-an-unknown-marker-too",
        "TEST004",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.pytest.ini_options]\n'
            'filterwarnings = ["error", "ignore::DeprecationWarning"]\n',
            "tests/test_a.py": "def test_a():\n    assert True\n",
        },
        0,
    ),
    # reduced from tqdm: `-W=error` in addopts turns the unknown-marker warning into an error
    Case(
        "warnings-as-errors-from-addopts",
        "TEST004",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.pytest.ini_options]\n'
            'addopts = "-v -W=error --durations=0"\n',
            "tests/test_a.py": "def test_a():\n    assert True\n",
        },
        0,
    ),
    Case(
        "one-warning-made-an-error-in-addopts",
        "TEST004",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.pytest.ini_options]\n'
            'addopts = "-W error::DeprecationWarning"\nmarkers = ["slow: long"]\n',
            "tests/test_a.py": "import pytest\n\n@pytest.mark.slow\ndef test_a():\n    assert True\n",
        },
        1,
    ),
    # reduced from thinc and pip-tools: CI runs pytest with `-Werror`, a tox environment sets
    # `PYTEST_ADDOPTS=--strict-markers`; a run that only makes deprecations errors does not
    Case(
        "warnings-as-errors-where-pytest-runs",
        "TEST004",
        {
            "setup.cfg": "[tool:pytest]\nmarkers =\n    slow\n",
            "tests/test_a.py": "def test_a():\n    assert True\n",
            ".github/workflows/tests.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - name: Run tests without extras\n        run: |\n"
            "          python -m pytest --pyargs thinc -Werror --cov=thinc --cov-report=term\n",
        },
        0,
    ),
    Case(
        "strict-markers-in-pytest-addopts-of-tox",
        "TEST004",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.pytest.ini_options]\n'
            'markers = ["network: needs the network"]\n',
            "tests/test_a.py": "def test_a():\n    assert True\n",
            "tox.ini": "[testenv]\nsetenv =\n"
            "    coverage: PYTEST_ADDOPTS=--strict-markers --cov {env:PYTEST_ADDOPTS:}\n"
            "commands = pytest {posargs}\n",
        },
        0,
    ),
    Case(
        "deprecations-as-errors-where-pytest-runs",
        "TEST004",
        {
            "setup.cfg": "[tool:pytest]\nmarkers =\n    slow\n",
            "tests/test_a.py": "def test_a():\n    assert True\n",
            "Makefile": "test:\n\tpytest -W error::DeprecationWarning tests\n",
        },
        1,
    ),
    # reduced from gunicorn: a docker suite with its own pytest.ini, which the root skips
    Case(
        "marker-of-a-suite-pytest-does-not-enter",
        "TEST004",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.pytest.ini_options]\n'
            'addopts = "--strict-markers"\nnorecursedirs = ["tests/docker"]\n',
            "tests/test_a.py": "def test_a():\n    assert True\n",
            "tests/docker/suite/pytest.ini": "[pytest]\nmarkers =\n    http: HTTP messages\n",
            "tests/docker/suite/tests/test_http.py": "import pytest\n\n@pytest.mark.http\n"
            "def test_get():\n    assert True\n",
        },
        0,
    ),
    # reduced from jaraco.classes: the docstrings' examples are the tests
    Case(
        "doctests-only",
        "TEST001",
        {
            "pyproject.toml": '[project]\nname = "x"\n',
            "pytest.ini": "[pytest]\naddopts = --doctest-modules\n",
            "x/__init__.py": '"""\n>>> 1 + 1\n2\n"""\n',
        },
        0,
    ),
    Case(
        "nested-command",
        "TEST007",
        {
            "tests/test_a.py": "def test_cli(runner):\n    @cli.command()\n    def test():\n        echo('x')\n    assert runner.invoke(cli).exit_code == 0\n"
        },
        0,
    ),
    # reduced from virtualenv: the fixture hands the test a runner that builds the tester the
    # test names and calls it; the tester's `__call__` (in the conftest) asserts
    Case(
        "a-fixture-runs-a-tester-whose-call-asserts",
        "TEST007",
        activation("        out = self.run(tmp_path)\n        assert out == 'ok'\n"),
        0,
    ),
    Case(
        "a-fixture-runs-a-tester-whose-call-checks-nothing",
        "TEST007",
        activation("        return self.run(tmp_path)\n"),
        1,
    ),
    # reduced from pytest-django: the test is the fixture's setup, whose two `pytest.raises`
    # are the checks; a test with a body of its own is not checked by a fixture's setup
    Case(
        "an-empty-test-of-a-checking-fixture",
        "TEST007",
        {
            "tests/test_database.py": "import pytest\n\n@pytest.fixture\ndef noaccess():\n"
            "    with pytest.raises(RuntimeError):\n        Item.objects.count()\n\n"
            "def test_noaccess_fixture(noaccess):\n    # Setup will fail if this test needs to fail\n"
            "    pass\n\n"
            "def test_create(noaccess):\n    '''Creates one.'''\n    make_item()\n\n"
            "@pytest.fixture\ndef fixture_with_db(db):\n    Item.objects.create(name='spam')\n\n"
            "def test_db(fixture_with_db):\n    pass\n",
        },
        2,
        says="test_create",
    ),
    # reduced from torchmetrics: the worker that asserts is handed to `partial` on the next line
    Case(
        "a-worker-handed-on-over-several-lines",
        "TEST007",
        {
            "tests/test_squad.py": "from functools import partial\n\n"
            "def _squad_ddp(rank, preds):\n    _assert_allclose(score(preds), 1.0)\n\n"
            "def test_score_ddp(preds):\n    pytest.pool.map(\n        partial(\n"
            "            _squad_ddp, preds=preds\n        ),\n        range(2),\n    )\n",
        },
        0,
    ),
    # reduced from python-multipart: a local variable that bears a test function's name is
    # handed on; it runs no test
    Case(
        "a-local-named-as-a-test-is-handed-on",
        "TEST007",
        {
            "tests/test_multipart.py": "def test_file():\n    assert parse('a') == 'a'\n\n"
            "class TestForm:\n    def test_fuzz(self):\n"
            "        test_file = 'single_field.http'\n"
            "        with open(os.path.join(\n            http_dir, test_file\n        )) as f:\n"
            "            feed(f.read())\n",
        },
        1,
        says="test_fuzz",
    ),
    # reduced from django-oauth-toolkit: the helper runs the model's validation hook, which
    # raises `ValidationError`; a `clean()` where nothing validates checks nothing
    Case(
        "a-helper-runs-the-models-validation",
        "TEST007",
        {
            "tests/test_models.py": "import pytest\n"
            "from django.core.exceptions import ValidationError\n\n"
            "def _test_uris_valid(settings, application, uris):\n"
            "    application.redirect_uris = uris\n    application.clean()\n\n"
            "def test_valid_3ld(oauth2_settings, application):\n"
            "    _test_uris_valid(oauth2_settings, application, 'https://*.example.com/path')\n",
            "tests/test_text.py": "def test_clean(page):\n    page.clean()\n",
        },
        1,
        says="test_clean",
    ),
    # reduced from responses: the mock fails on exit unless every registered response was
    # requested; poetry's test only names the class in an annotation
    Case(
        "a-requests-mock-that-checks-on-exit",
        "TEST007",
        {
            "tests/test_threads.py": "import responses\n\ndef test_lock():\n"
            "    with responses.RequestsMock() as m:\n"
            "        m.add(url='http://example.com/a', method='GET')\n"
            "        run_threads(m)\n\n"
            "def test_get_page(http: responses.RequestsMock) -> None:\n"
            "    repo = MockRepository(http)\n    _ = repo.get_page('foo')\n",
        },
        1,
        says="test_get_page",
    ),
    # reduced from pytorch-lightning: `no_warning_call` fails the test on the warning it names
    Case(
        "a-no-warning-check-from-a-testing-module",
        "TEST007",
        {
            "tests/test_dataloaders.py": "from lightning_utilities.test.warning import no_warning_call\n\n"
            "def test_fast_dev_run(tmp_path):\n    trainer = Trainer(fast_dev_run=True)\n"
            "    with no_warning_call(UserWarning, match='The number of training batches'):\n"
            "        trainer.fit(model)\n",
        },
        0,
    ),
    # reduced from accelerate and detectron2: the launcher raises when the script it runs fails;
    # a trace with `check_inputs` re-runs and compares
    Case(
        "a-launched-script-and-a-checked-trace",
        "TEST007",
        {
            "tests/test_multiple_model.py": "class TestDeepSpeed:\n"
            "    def test_train(self):\n        args = self.parser.parse_args(['a.py'])\n"
            "        launch_command(args)\n\n"
            "    def test_tracing(self):\n"
            "        torch.jit.trace(func, inputs, check_inputs=other_inputs)\n",
        },
        0,
    ),
    # reduced from django-constance: the class's `setUp` skips every test under unittest
    Case(
        "a-class-whose-setup-skips",
        "TEST007",
        {
            "tests/test_pytest_overrides.py": "import unittest\n\n"
            "class PytestTests(unittest.TestCase):\n    def setUp(self):\n"
            "        self.skipTest('Skip all pytest tests when using unittest')\n\n"
            "    def test_do_not_skip_silently(self):\n        pass\n\n"
            "class OtherTests(unittest.TestCase):\n    def setUp(self):\n"
            "        if not HAS_REDIS:\n            self.skipTest('no redis')\n\n"
            "    def test_ping(self):\n        run()\n",
        },
        1,
        says="test_ping",
    ),
    # reduced from pyramid: a test class kept under `if 0:` is never defined
    Case(
        "a-test-under-if-0",
        "TEST007",
        {
            "tests/test_docs.py": "import unittest\n\nif 0:\n\n    class DocsTests(unittest.TestCase):\n"
            "        def test_docs(self):\n            run_docs()\n\n"
            "class LiveTests(unittest.TestCase):\n    def test_live(self):\n        run_docs()\n",
        },
        1,
        says="test_live",
    ),
    # reduced from detr: scripting a module compiles it, and raises on what TorchScript cannot
    # compile; a plain trace checks nothing
    Case(
        "a-scripted-module",
        "TEST007",
        {
            "test_all.py": "class Tester(unittest.TestCase):\n"
            "    def test_backbone_script(self):\n        backbone = Backbone('resnet50')\n"
            "        torch.jit.script(backbone)  # noqa\n\n"
            "    def test_backbone_trace(self):\n        torch.jit.trace(backbone, inputs)\n",
        },
        1,
        says="test_backbone_trace",
    ),
    # reduced from detectron2: the classes the test builds assert their arguments in
    # `__init__`; sqlalchemy's test defines a class of its own by the same name, and poetry's
    # fake only registers responses (a `status=` keyword, no assertion)
    Case(
        "objects-whose-constructor-asserts",
        "TEST007",
        {
            "tests/test_config.py": "import unittest\n\nclass A(torch.nn.Module):\n"
            "    def __init__(self, arg1, arg2):\n        super().__init__()\n"
            "        assert arg1 == 1\n\n"
            "class MockHttpRepository(LegacyRepository):\n"
            "    def __init__(self, responses, http):\n"
            "        for endpoint, status in responses.items():\n"
            "            http.get(endpoint, status=status)\n\n"
            "class TestConfigurable(unittest.TestCase):\n"
            "    def testInitWithArgs(self):\n        _ = A(arg1=1, arg2=2)\n\n"
            "    def test_mixin(self):\n        class A(Base):\n            pass\n\n"
            "        self.mapper(A, users)\n\n"
            "def test_get_page(http):\n"
            "    repo = MockHttpRepository({'/foo/': 200}, http)\n    _ = repo.get_page('foo')\n",
        },
        2,
        says="test_mixin",
    ),
    # reduced from bandit: `bandit/core/test_properties.py` holds the package's decorators,
    # which the package imports; it is no test module
    Case(
        "a-module-of-the-package-named-like-a-test",
        "TEST007",
        {
            "pkg/__init__.py": "from pkg.core.test_properties import *\n",
            "pkg/core/__init__.py": "",
            "pkg/formatters.py": "from pkg.core import test_properties\n",
            "pkg/core/test_properties.py": "def test_id(id_val):\n"
            "    def _has_id(func):\n        func._test_id = id_val\n        return func\n\n"
            "    return _has_id\n",
            "tests/test_a.py": "def test_a():\n    run()\n",
        },
        1,
        says="test_a",
    ),
    # reduced from alembic: `eq_` and `is_` come from `alembic.testing` (which re-exports
    # sqlalchemy's assertion functions), directly and through a helper of the test class
    Case(
        "assertion-functions-of-a-testing-module",
        "TEST007",
        {
            "tests/test_a.py": "from alembic.testing import eq_, is_\n\n"
            "def test_a():\n    eq_(f(), 1)\n\n"
            "class TestTz:\n    def _test_tz(self, name):\n        is_(g(name), None)\n\n"
            "    def test_utc(self):\n        self._test_tz('UTC')\n"
        },
        0,
    ),
    # reduced from babel: the function under test is a validator that raises on bad input
    Case(
        "a-call-into-a-checkers-module",
        "TEST007",
        {
            "tests/test_a.py": "from babel.messages import checkers\n"
            "from babel.messages.checkers import python_format\n\n"
            "def test_a():\n    checkers.num_plurals(None, 'a')\n\n"
            "def test_b():\n    python_format(None, 'b')\n"
        },
        0,
    ),
    # reduced from faker: the regression is a DeprecationWarning the mark turns into a failure
    Case(
        "a-warning-turned-into-an-error-by-the-test-mark",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\n"
            "@pytest.mark.filterwarnings(\n    # the warning is an error here\n"
            "    r'error:.*randrange.*:DeprecationWarning'\n)\n"
            "def test_pyfloat():\n    fake.pyfloat()\n\n"
            "@pytest.mark.filterwarnings('ignore::UserWarning')\n"
            "def test_other():\n    fake.other()\n"
        },
        1,
        line=11,
    ),
    # reduced from huggingface_hub: another module's fixture of the same name asserts in its
    # teardown; the one this test gets does not
    Case(
        "another-modules-fixture-of-the-same-name",
        "TEST007",
        {
            "tests/test_cli.py": "import pytest\n\n@pytest.fixture\ndef api():\n"
            "    m = Mock()\n    yield m\n    m.assert_called()\n\n"
            "def test_cli(api):\n    run(api)\n",
            "tests/test_hf_api.py": "class TestStaging:\n"
            "    def test_list(self, api):\n        api.list_models()\n",
        },
        1,
        says="test_list",
    ),
    # reduced from huggingface_hub: a class's autouse fixture checks that class's tests only
    Case(
        "a-class-autouse-fixture-checks-its-class",
        "TEST007",
        {
            "tests/test_api.py": "import pytest\n\nclass TestUpload:\n"
            "    @pytest.fixture(autouse=True)\n    def _repo(self):\n        yield\n"
            "        assert remote_ok()\n\n    def test_upload(self):\n        upload()\n\n"
            "class TestStaging:\n    def test_list(self):\n        list_models()\n",
        },
        1,
        says="test_list",
    ),
    # reduced from grip: the response raises on an error status
    Case(
        "raise-for-status",
        "TEST007",
        {"tests/test_github.py": "def test_api_up():\n    requests.get(URL).raise_for_status()\n"},
        0,
    ),
    # reduced from drf-spectacular: the requested fixture asserts in its teardown
    Case(
        "a-requested-fixture-that-asserts",
        "TEST007",
        {
            "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef no_warnings(capsys):\n"
            "    yield\n    captured = capsys.readouterr()\n    assert not captured.err\n",
            "tests/test_a.py": "def test_build(no_warnings):\n    build()\n\n"
            "def test_other(tmp_path):\n    build(tmp_path)\n",
        },
        1,
        says="test_other",
    ),
    Case(
        "a-fixture-of-the-module-that-asserts-in-teardown",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\n@pytest.fixture\ndef clean(tmp_path):\n"
            "    yield tmp_path\n    assert not list(tmp_path.iterdir())\n\n"
            "def test_build(clean):\n    build(clean)\n\n"
            "def test_other(tmp_path):\n    build(tmp_path)\n",
        },
        1,
        says="test_other",
    ),
    # reduced from kinto: WebTest's TestApp raises on an error status, or on any other status
    # than the one it is given; it is made in the package's testing module
    Case(
        "webtest-requests",
        "TEST007",
        {
            "src/pkg/testing.py": "import webtest\n\nclass BaseWebTest:\n"
            "    def setUp(self):\n        self.app = webtest.TestApp(make_app())\n",
            "tests/test_views.py": "class TestViews(BaseWebTest):\n"
            "    def test_create(self):\n        self.app.put_json('/buckets/beer', {}, headers=H)\n\n"
            "    def test_patch(self):\n        self.app.patch_json(\n            url(), {},\n"
            "            headers=dict(a=1), status=400\n        )\n\n"
            "    def test_nothing(self):\n        make_app()\n",
        },
        1,
        says="test_nothing",
    ),
    Case(
        "app-requests-without-webtest",
        "TEST007",
        {
            "tests/test_views.py": "def test_create(client):\n    client.app.get('/')\n",
        },
        1,
    ),
    # reduced from kinto: WebTest's test application checks the status it is given
    Case(
        "webtest-expected-status",
        "TEST007",
        {
            "tests/test_views.py": "class TestViews:\n"
            "    def test_404(self):\n        self.app.get('/service', status=404)\n\n"
            "    def test_created(self):\n        self.app.post_json(\n            '/items', {'a': 1},\n"
            "            status=201,\n        )\n\n"
            "    def test_any(self):\n        self.app.get('/x', expect_errors=True)\n"
        },
        1,
        says="test_any",
    ),
    # reduced from python-multipart: pytest-codspeed measures every test of the module
    Case(
        "module-marked-as-benchmarks",
        "TEST007",
        {
            "tests/test_benchmarks.py": "import pytest\n\npytestmark = pytest.mark.benchmark\n\n"
            "def test_parse():\n    parse(b'x')\n\ndef test_split():\n    split(b'x')\n"
        },
        0,
    ),
    # reduced from trl: smoke tests that run the command line and check nothing it did
    Case(
        "every-test-of-a-file-asserts-nothing",
        "TEST007",
        {
            "tests/test_cli.py": "from pkg.cli import main\n\n"
            "def test_dpo():\n    main(['dpo'])\n\n"
            "def test_kto():\n    main(['kto'])\n\n"
            "def test_sft():\n    main(['sft'])\n"
        },
        3,
    ),
    Case(
        "one-test-of-several-asserts-nothing",
        "TEST007",
        {
            "tests/test_a.py": "def test_a():\n    run('a')\n\n"
            "def test_b():\n    assert run('b')\n\n"
            "def test_c():\n    assert run('c')\n"
        },
        1,
    ),
    Case(
        "testing-module-import-that-asserts-nothing",
        "TEST007",
        {
            "tests/test_a.py": "from alembic.testing import config, eq_\n\n"
            "def test_a():\n    config.db.connect()\n"
        },
        1,
    ),
    # reduced from sqlalchemy: `@testing.skip_if(lambda: True, "why")` over lines always skips
    Case(
        "always-skipped-over-lines",
        "TEST007",
        {
            "tests/test_a.py": "class TestT:\n    @testing.skip_if(\n        lambda: True, 'no join'\n    )\n"
            "    def test_a(self):\n        pass\n"
        },
        0,
    ),
    # reduced from lightning: a class with __init__ is not collected (its test_step is a hook)
    Case(
        "class-with-init-is-not-collected",
        "TEST007",
        {
            "tests/test_a.py": "class TestDataModule(DataModule):\n    def __init__(self, loaders):\n"
            "        self.loaders = loaders\n\n    def test_dataloader(self):\n        return self.loaders\n"
        },
        0,
    ),
    Case(
        "init-in-a-nested-class-does-not-hide-the-tests",
        "TEST007",
        {
            "tests/test_a.py": "class TestT:\n    def test_a(self):\n        class Fake:\n"
            "            def __init__(self):\n                pass\n        run(Fake())\n"
        },
        1,
    ),
    Case(
        "a-command-runner-raises-on-failure",
        "TEST007",
        {
            "tests/test_a.py": "def test_example():\n    run_command(['python', 'examples/train.py'])\n"
        },
        0,
    ),
    Case(
        "skipped-placeholder",
        "TEST007",
        {"tests/test_a.py": "@SKIP('abstract')\ndef test_a():\n    pass\n"},
        0,
    ),
    Case(
        "skipped-by-a-decorator-over-lines",
        "TEST007",
        {
            "tests/test_a.py": "class TestT:\n    @pytest.mark.skip(\n        reason='no join'\n    )\n    def test_a(self):\n        pass\n"
        },
        0,
    ),
    Case(
        "a-conditional-skip-still-runs-somewhere",
        "TEST007",
        {
            "tests/test_a.py": "@pytest.mark.skipif(sys.platform == 'win32', reason='posix')\n"
            "def test_a():\n    run()\n"
        },
        1,
    ),
    Case(
        "a-model-hook-named-test-step-is-not-a-test",
        "TEST007",
        {
            "tests/test_a.py": "class BoringModel(LightningModule):\n"
            "    def test_step(self, batch, index):\n        return self.step(batch)\n"
        },
        0,
    ),
    Case(
        "python-classes-setting-decides-which-classes-hold-tests",
        "TEST007",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.pytest.ini_options]\n'
            'python_classes = "test_*"\n',
            "tests/test_a.py": "class test_Worker:\n    def test_start(self):\n        start()\n",
        },
        1,
    ),
    Case(
        "deprecated-call-and-warnings-as-errors-check",
        "TEST007",
        {
            "tests/test_a.py": "def test_a():\n    with pytest.deprecated_call():\n        old()\n"
            "def test_b():\n    with warnings.catch_warnings():\n"
            "        warnings.simplefilter('error')\n        new()\n"
        },
        0,
    ),
    Case(
        "a-function-handed-to-a-launcher-asserts-for-the-test",
        "TEST007",
        {
            "tests/test_a.py": "def _check(rank):\n    assert rank >= 0\n"
            "def test_spawned():\n    launch(partial(_check, 1))\n"
            "def test_target():\n    spawn(target=_check)\n"
        },
        0,
    ),
    Case(
        "a-value-on-a-continuation-line-does-not-end-the-body",
        "TEST007",
        {"tests/test_a.py": 'def test_a():\n    expected = \\\n"x"\n    assert f() == expected\n'},
        0,
    ),
    Case(
        "previous-body-is-not-a-decorator",
        "TEST007",
        {
            "tests/test_a.py": "class TestT:\n    @pytest.mark.skip\n    def test_a(self):\n        pass\n    def test_b(self):\n        pass\n"
        },
        1,
        line=5,
    ),
    Case(
        "parameters-over-lines",
        "TEST007",
        {
            "tests/test_a.py": "class TestT:\n    def test_a(self, first, second,\n                          third):\n        value = first + second\n        assert value == third\n"
        },
        0,
    ),
    Case(
        "checking-decorator",
        "TEST007",
        {
            "tests/test_a.py": "@profiling.function_call_count()\ndef test_enum():\n    Enum(SomeEnum)\n"
        },
        0,
    ),
    Case(
        "parametrize-words-are-not-a-check",
        "TEST007",
        {
            "tests/test_a.py": "@pytest.mark.parametrize('check', [1, 2])\ndef test_enum(check):\n    run(check)\n"
        },
        1,
    ),
    Case(
        "subprocess-check",
        "TEST007",
        {
            "tests/test_a.py": "import subprocess\n\ndef test_help():\n    subprocess.run(['tool', '--help'], check=True)\n"
        },
        0,
    ),
    Case(
        "runs-an-imported-test",
        "TEST007",
        {
            "tests/test_a.py": "from docs_src.tutorial import test_read_main\n\ndef test_main():\n    test_read_main()\n"
        },
        0,
    ),
    Case(
        "calls-asserting-test",
        "TEST007",
        {
            "tests/test_a.py": "def test_a(store):\n    assert store.mark()\n\ndef test_twice(store):\n    test_a(store)\n    test_a(store)\n"
        },
        0,
    ),
    Case("no-assert", "TEST007", {"tests/test_a.py": "def test_a():\n    compute()\n"}, 1, line=1),
    Case("pass-placeholder", "TEST007", {"tests/test_a.py": "def test_a():\n    pass\n"}, 1),
    Case("assert", "TEST007", {"tests/test_a.py": "def test_a():\n    assert compute() == 2\n"}, 0),
    Case(
        "raises-only",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\ndef test_a():\n    with pytest.raises(ValueError):\n        compute(-1)\n"
        },
        0,
    ),
    Case(
        "mock-assertion",
        "TEST007",
        {
            "tests/test_a.py": "def test_a(mocker):\n    m = mocker.patch('x.y')\n    run()\n    m.assert_called_once_with(1)\n"
        },
        0,
    ),
    Case(
        "unittest",
        "TEST007",
        {
            "tests/test_a.py": "class T(TestCase):\n    def test_a(self):\n        self.assertEqual(1, 1)\n"
        },
        0,
    ),
    Case(
        "helper-same-module",
        "TEST007",
        {
            "tests/test_a.py": "def verify(x):\n    assert x\n\ndef test_a():\n    verify(compute())\n"
        },
        0,
    ),
    Case(
        "helper-other-module",
        "TEST007",
        {
            "tests/helpers.py": "def run_case(x):\n    assert x\n",
            "tests/test_a.py": "from tests.helpers import run_case\n\ndef test_a():\n    run_case(compute())\n",
        },
        0,
    ),
    # reduced from strawberry: a plug-in's marker fails the test unless the exception is raised
    Case(
        "marker-that-checks-a-raise",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\n"
            "@pytest.mark.raises_strawberry_exception(InvalidType, match='x')\n"
            "def test_invalid():\n    build_schema()\n"
        },
        0,
    ),
    # reduced from diffusers: an override that skips itself is reported as skipped
    Case(
        "test-skips-itself",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\nclass TestPipe(Mixin):\n"
            "    def test_layerwise(self):\n        pytest.skip('not supported')\n\n"
            "    def test_offload(self):\n        self.skipTest('not supported')\n"
        },
        0,
    ),
    Case(
        "skip-under-a-condition-only",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\ndef test_a():\n    if old():\n"
            "        pytest.skip('old')\n    run()\n"
        },
        1,
    ),
    # reduced from sh and alembic: `return self.skipTest(...)` and a test library's
    # `config.skip_test(...)` skip the test; a stream's `.skip(3)` does not
    Case(
        "test-skips-itself-through-a-helper",
        "TEST007",
        {
            "tests/test_a.py": "class TestSh(TestCase):\n"
            "    def test_encoding(self):\n        return self.skipTest(\n            'how?'\n        )\n\n"
            "    def test_uq(self):\n        config.skip_test('disabled here')\n\n"
            "    def test_read(self):\n        reader.skip(3)\n"
        },
        1,
    ),
    # reduced from filelock, litestar and textual: a timeout turns a hang into a failure
    Case(
        "timeout-is-the-check",
        "TEST007",
        {
            "tests/test_a.py": "import asyncio\nimport pytest\n\n"
            "@pytest.mark.timeout(15)\ndef test_reentrant(lock):\n    with lock.read_lock():\n"
            "        lock.acquire()\n\n"
            "async def test_shutdown(backend):\n"
            "    await asyncio.wait_for(backend.on_shutdown(), timeout=0.1)\n\n"
            "async def test_later(called):\n    with anyio.fail_after(1):\n        await called.wait()\n\n"
            "@pytest.mark.slow\ndef test_plain(lock):\n    lock.acquire()\n"
        },
        1,
    ),
    # reduced from tweepy: a recorded exchange replayed (vcrpy's cassette, record_mode "none"):
    # a request built differently from the recording raises; a test without one checks nothing
    Case(
        "cassette-is-the-check",
        "TEST007",
        {
            "tests/test_api.py": "from .config import tape\n\n"
            "@tape.use_cassette('testgetfollowers.json')\ndef test_get_followers(api):\n"
            "    api.get_followers(screen_name='TwitterDev')\n\n"
            "@pytest.mark.vcr\ndef test_home(client):\n    client.get_home_timeline()\n\n"
            "def test_plain(api):\n    api.get_followers(screen_name='TwitterDev')\n"
        },
        1,
        says="`test_plain`",
    ),
    # reduced from jupyter_client: tornado's `gen_test(timeout=…)` fails a wait that never ends
    Case(
        "timeout-argument-is-the-check",
        "TEST007",
        {
            "tests/test_a.py": "from tornado.testing import gen_test\n\n"
            "class TestKM(AsyncTestCase):\n"
            "    @gen_test(timeout=TIMEOUT)\n    async def test_stream_on_recv(self):\n"
            "        while True:\n            if called:\n                break\n\n"
            "    @gen_test\n    async def test_plain(self):\n        await km.start()\n"
        },
        1,
        says="`test_plain`",
    ),
    # reduced from anthropic-sdk-python: respx's fixture fails unless its route is called
    Case(
        "respx-route-is-the-check",
        "TEST007",
        {
            "tests/test_a.py": "def test_allows_output_config(client, respx_mock):\n"
            "    respx_mock.post('/v1/messages').mock(return_value=httpx.Response(200, json={}))\n"
            "    client.messages.create(model='m')\n\n"
            "def test_plain(client):\n    client.messages.create(model='m')\n"
        },
        1,
        says="`test_plain`",
    ),
    # reduced from optimum: a subclass turns an inherited test off with `pass`
    Case(
        "override-turning-an-inherited-test-off",
        "TEST007",
        {
            "tests/test_q.py": "import unittest\n\n"
            "class GPTQTest(unittest.TestCase):\n"
            "    def test_perplexity(self):\n        self.assertLess(run(), 10)\n\n"
            "class GPTQTestCPUInit(GPTQTest):\n    def test_perplexity(self):\n        pass\n\n"
            "    def test_other(self):\n        pass\n\n"
            "class GPTQTestActOrder(GPTQTest):\n    def test_perplexity(self):\n"
            "        # act_order does not work here\n        pass\n\n"
            "class GPTQTestBroken(GPTQTest):\n    def test_perplexity(self):\n"
            "        # FIXME: fails on CPU\n        pass\n"
        },
        2,
    ),
    # reduced from PyMySQL: the base suite lives in another module of the folder
    # (`dbapi20.DatabaseAPI20Test`, through a base of its own); from kinto: a `pass` test
    # that no base defines overrides nothing, a placeholder that always passes; from
    # diffusers: an override whose to-do comment owes the check turns off a broken test
    Case(
        "override-of-a-test-inherited-from-another-module",
        "TEST007",
        {
            "tests/dbapi20.py": "import unittest\n\nclass Base(unittest.TestCase):\n"
            "    def test_callproc(self):\n        self.assertTrue(run())\n\n"
            "class DatabaseAPI20Test(\n    Base,\n):\n"
            "    def test_setoutputsize(self):\n        self.assertTrue(run())\n\n"
            "    def test_offload(self):\n        self.assertTrue(run())\n",
            "tests/test_dbapi20.py": "from . import dbapi20\n\n"
            "class test_MySQLdb(dbapi20.DatabaseAPI20Test):\n"
            "    def test_setoutputsize(self):\n        pass\n\n"
            "    def test_callproc(self):\n        pass  # performed elsewhere\n\n"
            "    def test_backend_message(self):\n        pass\n\n"
            "    def test_offload(self):\n        # TODO need to fix later\n        pass\n",
        },
        2,
    ),
    # reduced from faststream: tests that run a documentation example's test function under
    # another name, or start the example's application, whose startup hook asserts; the
    # lifespan example's test asserts nothing, nor does an application without checking hooks
    Case(
        "checks-of-documentation-examples",
        "TEST007",
        {
            "docs/__init__.py": "",
            "docs/docs_src/__init__.py": "",
            "docs/docs_src/pel_testing.py": "from faststream.redis import TestRedisBroker\n\n"
            "async def test_pending():\n    async with TestRedisBroker(broker) as br:\n"
            "        await br.publish('order-1')\n        assert len(pel.entries) == 1\n",
            "docs/docs_src/rpc_app.py": "app = FastStream(broker)\n\n"
            "@broker.subscriber(channel='test-channel')\nasync def handle(msg):\n    return msg\n\n"
            "@app.after_startup\nasync def t():\n"
            "    response = await broker.request('Hi!', channel='test-channel')\n"
            "    assert await response.decode() == 'Hi!'\n",
            "docs/docs_src/plain_app.py": "app = FastStream(broker)\n\n"
            "@app.after_startup\nasync def t():\n    print('started')\n",
            "docs/docs_src/lifespan/testing.py": "async def test_lifespan():\n"
            "    async with TestApp(app):\n        pass\n",
            "tests/test_docs.py": "import pytest\n\n"
            "async def test_pending_message() -> None:\n"
            "    from docs.docs_src.pel_testing import (\n        test_pending as run,\n    )\n\n"
            "    await run()\n\n"
            "async def test_rpc() -> None:\n    from docs.docs_src.rpc_app import app, broker\n\n"
            "    async with TestRedisBroker(broker), TestApp(app):\n        pass\n\n"
            "async def test_plain() -> None:\n    from docs.docs_src.plain_app import app\n\n"
            "    async with TestApp(app):\n        pass\n\n"
            "async def test_lifespan_redis() -> None:\n"
            "    from docs.docs_src.lifespan.testing import test_lifespan as _test_lifespan\n\n"
            "    await _test_lifespan()\n",
        },
        2,
    ),
    # reduced from bpython: setUp installs an asserting method as the object's callback; a
    # test that never touches the object checks nothing
    Case(
        "asserting-callback-installed-in-setup",
        "TEST007",
        {
            "tests/test_repl.py": "from unittest import TestCase\n\n"
            "class TestPagerText(TestCase):\n    def setUp(self):\n"
            "        self.repl = create_repl()\n"
            "        self.repl.pager = self.assert_pager_gets_unicode\n\n"
            "    def assert_pager_gets_unicode(self, text):\n"
            "        self.assertIsInstance(text, str)\n\n"
            "    def test_help(self):\n        self.repl.pager(self.repl.help_text())\n\n"
            "    def test_show_source(self):\n"
            "        self.repl.config.highlight_show_source = False\n"
            "        self.repl.show_source()\n\n"
            "    def test_other(self):\n        create_repl().show_source()\n\n"
            "class TestStartup(TestCase):\n    def setUp(self):\n"
            "        self.repl = create_repl()\n        self.repl.pager = self.pager\n\n"
            "    def pager(self, text):\n        print(text)\n\n"
            "    def test_startup(self):\n        self.repl.startup()\n",
        },
        2,
    ),
    # reduced from PyMySQL and jupyter_server: the handshake is the check (a failed login
    # raises OperationalError, a refused websocket HTTPClientError 403), also through a helper;
    # from celery, lerobot, requests and PyMySQL: connecting objects, a connection made for what
    # follows, and one the test then uses for something unchecked are no checks
    Case(
        "a-handshake-as-the-check",
        "TEST007",
        {
            "tests/test_auth.py": "import pymysql\n\n"
            "def test_sha256_password():\n"
            "    con = pymysql.connect(\n        user='u', password=PASS, host=host, ssl=None\n    )\n"
            "    con.close()\n\n"
            "def test_caching_sha2_password():\n"
            "    con = pymysql.connect(user='u', password=PASS, host=host)\n    con.close()\n"
            "    pymysql.connections._DEFAULT_AUTH_PLUGIN = 'mysql_native_password'\n"
            "    con = pymysql.connect(user='u', password=PASS, host=host, ssl=ssl)\n"
            "    con.query('FLUSH PRIVILEGES')\n    con.close()\n"
            "    pymysql.connections._DEFAULT_AUTH_PLUGIN = None\n\n"
            "class TestAuthentication:\n"
            "    def testSocketAuth(self):\n        self.realtestSocketAuth()\n\n"
            "    def realtestSocketAuth(self):\n"
            "        with TempUser(self.connect().cursor(), 'me@localhost'):\n"
            "            pymysql.connect(user='me', **self.db)\n\n"
            "    def test_ping(self):\n        self.connection.ping()\n\n"
            "    def test_set_charset(self):\n        c = self.connect()\n"
            "        c.set_charset('utf8mb4')\n\n"
            "    def test_connect_graphs(self):\n        x, y = graph(), graph()\n"
            "        x.connect(y)\n\n"
            "    def test_send_feedback(self):\n        teleop.connect()\n"
            "        teleop.send_feedback({'wireless_remote': b'0'})\n\n"
            "    def test_waiting_server(self):\n        sock = socket.socket()\n"
            "        sock.connect((host, port))\n        sock.sendall(b'send something')\n"
            "        time.sleep(2.5)\n\n"
            "    def test_guarded(self):\n        try:\n"
            "            pymysql.connect(user='u')\n        except Exception:\n            pass\n\n"
            "    def test_handed_on(self):\n        return pymysql.connect(user='u')\n",
            "tests/test_websocket.py": "async def test_websocket_auth_permissive(jp_ws_fetch):\n"
            "    ws = await jp_ws_fetch('permissive', headers={'Authorization': ''})\n"
            "    ws.close()\n",
        },
        6,
    ),
    # reduced from django-oscar: a form field's clean() raises ValidationError; WebTest's
    # mustcontain raises when a string is missing
    Case(
        "field-clean-and-mustcontain",
        "TEST007",
        {
            "tests/test_forms.py": "from django.core.exceptions import ValidationError\n\n"
            "class TestField:\n    def test_accepts_none(self):\n        self.field.clean(None)\n\n"
            "    def test_page(self):\n        page = self.get('/')\n"
            "        page.mustcontain('Shipping', no=['Billing'])\n\n"
            "    def test_plain(self):\n        self.field.prepare(None)\n"
        },
        1,
        says="`test_plain`",
    ),
    # reduced from django-silk: `makemigrations --check` exits non-zero on pending migrations
    Case(
        "management-command-with-check",
        "TEST007",
        {
            "tests/test_models.py": "from django.core.management import call_command\n\n"
            "def test_no_pending_migrations():\n"
            "    call_command('makemigrations', 'silk', '--check', '--dry-run')\n\n"
            "def test_plain():\n    call_command('makemigrations', 'silk', '--dry-run')\n"
        },
        1,
        says="`test_plain`",
    ),
    # reduced from boto3: a helper that waits with a botocore waiter raises WaiterError
    Case(
        "waiter-is-the-check",
        "TEST007",
        {
            "tests/test_s3.py": "class TestS3(TestCase):\n"
            "    def object_exists(self, key):\n"
            "        waiter = self.client.get_waiter('object_exists')\n"
            "        waiter.wait(Bucket=B, Key=key)\n\n"
            "    def test_copy(self):\n        copy('foo', 'bar')\n        self.object_exists('bar')\n\n"
            "    def test_resource(self):\n        obj.put(Body=b'x')\n        obj.wait_until_exists()\n\n"
            "    def test_delete(self):\n        self.client.delete_object(Bucket=B, Key='foo')\n"
        },
        1,
    ),
    # reduced from redash and django-oauth-toolkit: a probe that raises when what the code should
    # have made is missing (a discarded SELECT, Django's checks and model validation); a query
    # that writes is no probe
    Case(
        "probe-is-the-check",
        "TEST007",
        {
            "tests/test_db.py": "def test_creates_table():\n    c = sqlite3.connect(':memory:')\n"
            "    create_table(c, 'q', RESULTS)\n    c.execute(\"SELECT 1 FROM q\")\n\n"
            "def test_checks():\n    call_command('check')\n\n"
            "def test_valid_uri(app):\n    app.redirect_uris = 'https://*.example.com'\n"
            "    app.full_clean()\n\n"
            "def test_insert():\n    c = sqlite3.connect(':memory:')\n"
            "    c.execute('INSERT INTO q VALUES (1)')\n"
        },
        1,
    ),
    # reduced from pexpect: `expect` raises TIMEOUT or EOF when the pattern never arrives, and
    # pexpect writes its calls with a space before the parenthesis; prose in a comment is no call
    Case(
        "pexpect-expect-is-a-wait-that-raises",
        "TEST007",
        {
            "tests/test_expect.py": "class ExpectTestCase(PexpectTestCase.PexpectTestCase):\n"
            "    def test_expect_basic (self):\n"
            "        p = pexpect.spawn('cat', echo=False, timeout=5)\n"
            "        p.sendline (b'Hello')\n        p.expect (b'Hello')\n"
            "        p.sendeof ()\n        p.expect_exact (pexpect.EOF)\n\n"
            "    def test_send(self):\n"
            "        p = pexpect.spawn('cat', echo=False, timeout=5)\n"
            "        # we expect (nothing): the line is only sent\n"
            "        p.sendline (b'Hello')\n"
        },
        1,
        says="test_send",
    ),
    # reduced from django-debug-toolbar: Selenium's `WebDriverWait(...).until(...)` raises
    # TimeoutException when the element never shows
    Case(
        "selenium-wait-is-the-check",
        "TEST007",
        {
            "tests/test_integration.py": "class DebugToolbarLiveTestCase(StaticLiveServerTestCase):\n"
            "    def setUp(self):\n        self.wait = WebDriverWait(self.selenium, timeout=3)\n\n"
            "    def test_async_sql_action(self):\n        self.get('/async_execute_sql/')\n"
            "        self.selenium.find_element(By.CLASS_NAME, 'SQLPanel').click()\n"
            "        self.wait.until(\n"
            "            EC.visibility_of_element_located((By.CSS_SELECTOR, '.remoteCall'))\n"
            "        )\n\n"
            "    def test_later(self):\n        WebDriverWait(self.selenium, 3).until(ready)\n\n"
            "    def test_click(self):\n"
            "        self.selenium.find_element(By.CLASS_NAME, 'SQLPanel').click()\n"
        },
        1,
        says="test_click",
    ),
    # reduced from smolagents, poetry-core and tox: a parse whose result is thrown away is there
    # for its raise (SyntaxError, JSONDecodeError) on what the code produced
    Case(
        "discarded-parse-is-the-check",
        "TEST007",
        {
            "tests/test_tools.py": "import ast, json, os\n\n"
            "def test_saving_tool_produces_valid_python_code(tmp_path):\n"
            "    get_weather.save(tmp_path)\n"
            "    with open(os.path.join(tmp_path, 'tool.py'), 'r') as f:\n"
            "        source_code = f.read()\n"
            "        compile(source_code, f.name, 'exec')\n\n"
            "def test_with_build_script_in_subdir():\n"
            "    setup = SdistBuilder(poetry).build_setup()\n    # should not error\n"
            "    ast.parse(setup)\n\n"
            "def test_json_valid_output(project):\n    result = project.run('c')\n"
            "    json.loads(result.out)\n"
        },
        0,
    ),
    # a parse whose result is used, of a literal, under a `try` that swallows its error, or that
    # does not raise (`py_compile.compile` without `doraise`) checks nothing
    Case(
        "parse-that-checks-nothing",
        "TEST007",
        {
            "tests/test_main.py": "import ast, json, py_compile\n\n"
            "def test_main_shim():\n"
            "    code = compile(mainfile.read_text(), '__main__.py', 'exec')\n"
            "    exec(code, ns)\n\n"
            "def test_literal():\n    json.loads('{\"a\": 1}')\n\n"
            "def test_swallowed(output):\n    try:\n        ast.parse(output)\n"
            "    except SyntaxError:\n        pass\n\n"
            "def test_byte_compiled(path):\n    py_compile.compile(path)\n"
        },
        4,
    ),
    # reduced from urllib3: pytest's settings make every warning an error, and a test about a
    # warning (the twin of one that catches it with pytest.warns) fails if it is emitted
    Case(
        "warnings-made-errors-check-a-test-about-warnings",
        "TEST007",
        {
            "pyproject.toml": PROJECT + "[tool.pytest.ini_options]\n"
            "filterwarnings = [\n    'error',\n"
            "    'default:urllib3 v2 only supports OpenSSL 1.1.1+.*',\n]\n",
            "test/test_ssl.py": "class TestSSL:\n"
            "    def test_create_context_ssl_version_no_warning(self, kwargs):\n"
            "        ssl_.create_urllib3_context(**kwargs)\n\n"
            "    def test_create_context_deprecated_default(self):\n"
            "        ssl_.create_urllib3_context()\n\n"
            "    def test_create_context(self, kwargs):\n"
            "        ssl_.create_urllib3_context(**kwargs)\n",
        },
        1,
        says="`test_create_context`",
    ),
    # every warning ignored again after `error`, or only one category made an error: the
    # warning the test is about may pass unseen
    Case(
        "warnings-ignored-again",
        "TEST007",
        {
            "pyproject.toml": PROJECT + "[tool.pytest.ini_options]\n"
            "filterwarnings = ['error', 'ignore::Warning']\n",
            "test/test_ssl.py": "def test_context_no_warning(kwargs):\n"
            "    ssl_.create_urllib3_context(**kwargs)\n",
        },
        1,
    ),
    Case(
        "one-category-made-an-error",
        "TEST007",
        {
            "pyproject.toml": PROJECT + "[tool.pytest.ini_options]\n"
            'addopts = "-W error::DeprecationWarning"\n',
            "test/test_ssl.py": "def test_context_no_warning(kwargs):\n"
            "    ssl_.create_urllib3_context(**kwargs)\n",
        },
        1,
    ),
    # reduced from flake8-bugbear, strawberry and pydantic-ai: the code a test hands to
    # `ast.parse` calls nothing (here no `foo`, although a helper of that name asserts), a
    # comment's "yielding" makes no generator, and a docstring's `match_node()` checks nothing
    Case(
        "strings-and-comments-are-no-code",
        "TEST007",
        {
            "tests/helpers.py": "def foo(value):\n    assert value\n",
            "tests/test_bugbear.py": "import ast\n\nclass TestFuzz(unittest.TestCase):\n"
            "    def test_does_not_crash_on_tuple_expansion(self):\n"
            "        tree = ast.parse(\n            'try:\\n    int(\"1e3\")\\n'\n"
            "            'except (*grey, *black):\\n    print(\"caught\")'\n        )\n"
            "        BugBearVisitor(filename='<string>', lines=[]).visit(tree)\n\n"
            "    def test_does_not_crash_on_call_in_except(self):\n"
            "        tree = ast.parse('try:\\n    ...\\nexcept (foo(),):\\n    ...\\n')\n"
            "        BugBearVisitor(filename='<string>', lines=[]).visit(tree)\n\n"
            "    def test_calls_the_helper(self):\n        foo(run())\n\n"
            "async def test_aclose_is_clean(gen):\n    await gen.__anext__()\n"
            "    # the generator is suspended after yielding: close it\n"
            "    await gen.aclose()\n\n"
            "async def test_match_node_with_base_node():\n"
            '    """Documents how match_node() is used."""\n    pass\n',
        },
        4,
    ),
    # reduced from anyio: pytest's `RaisesGroup` checks an exception group
    Case(
        "raises-group-is-the-check",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\nasync def test_delivery():\n"
            "    with pytest.RaisesGroup(pytest.RaisesExc(TypeError, match='x')):\n"
            "        await run()\n\nasync def test_plain():\n    await run()\n"
        },
        1,
    ),
    # reduced from pytorch-lightning: the parametrization hands `pytest.warns` uncalled
    Case(
        "expectation-handed-uncalled",
        "TEST007",
        {
            "tests/test_a.py": "import pytest\n\n"
            "@pytest.mark.parametrize(('devices', 'warn_context'), "
            "[(1, no_warning_call), (2, pytest.warns)])\n"
            "def test_sampler_warning(devices, warn_context):\n"
            "    with warn_context(UserWarning):\n        run(devices)\n\n"
            "@pytest.mark.parametrize('strict', [True, False])\ndef test_other(strict):\n"
            "    run(strict)\n"
        },
        1,
    ),
    # reduced from diffusers: a mixin module (not collected itself) holds the asserting helper
    Case(
        "helper-in-a-mixin-module",
        "TEST007",
        {
            "tests/lora/utils.py": "class LoraMixin:\n    def test_base(self):\n        assert 1\n\n"
            "    def _test_offload(self, kind):\n        self.assertTrue(run(kind))\n",
            "tests/lora/test_flux.py": "from .utils import LoraMixin\n\n"
            "class TestFlux(LoraMixin):\n    def test_offload(self):\n"
            "        super()._test_offload('leaf')\n",
        },
        0,
    ),
    # reduced from diffusers: a property of a test class is not collected
    Case(
        "property-of-a-test-class",
        "TEST007",
        {
            "tests/test_a.py": "class TestVQ:\n    @property\n    def test_config(self):\n"
            "        return {'a': 1}\n\n    def test_b(self):\n        assert self.test_config\n"
        },
        0,
    ),
    # reduced from sentence-transformers: the helper is reached through a module-level partial
    Case(
        "helper-through-a-partial",
        "TEST007",
        {
            "tests/test_a.py": "from functools import partial\n\n"
            "def score(name, samples=100):\n    assert evaluate(name, samples) > 0.8\n\n"
            "score_slow = partial(score, samples=-1)\n\n"
            "def test_bert_slow():\n    score_slow('bert')\n"
        },
        0,
    ),
    # reduced from sqlfluff: the fixture the test calls returns the helper that checks
    Case(
        "fixture-returns-the-checking-helper",
        "TEST007",
        {
            "tests/conftest.py": "import pytest\n\ndef _dialect_tester(dialect, sql):\n"
            "    assert parse(dialect, sql).ok\n\n@pytest.fixture\ndef dialect_tester():\n"
            "    return _dialect_tester\n",
            "tests/test_ansi.py": "def test_select(dialect_tester):\n    dialect_tester('ansi', 'select 1')\n",
        },
        0,
    ),
    # a fixture that only sets things up (however it does it) checks nothing for the test
    Case(
        "fixture-with-its-own-sanity-check",
        "TEST007",
        {
            "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef bucket(client):\n"
            "    b = client.create_bucket('x')\n    assert b.exists()\n    return b\n",
            "tests/test_blob.py": "def test_upload(bucket):\n    bucket.blob('a').upload(b'1')\n",
        },
        1,
    ),
    # reduced from torchmetrics: parametrize hands the test the worker that asserts
    Case(
        "worker-from-parametrize",
        "TEST007",
        {
            "tests/test_ddp.py": "import pytest\n\ndef _ddp_sum(rank):\n    assert total(rank) == 3\n\n"
            "@pytest.mark.parametrize('job', [_ddp_sum])\ndef test_ddp(job):\n    pool.map(job, range(2))\n"
        },
        0,
    ),
    # reduced from torchmetrics: the workers stand on the decorator's continuation lines
    Case(
        "workers-from-a-parametrize-over-lines",
        "TEST007",
        {
            "tests/test_ddp.py": "import pytest\n\ndef _ddp_sum(rank):\n    assert total(rank) == 3\n\n"
            "@pytest.mark.parametrize(\n    'process',\n    [\n        _ddp_sum,\n    ],\n)\n"
            "def test_ddp(process):\n    pool.map(process, range(2))\n"
        },
        0,
    ),
    # reduced from ignite: the asserting worker comes from the tests' helper package
    Case(
        "worker-imported-from-the-helpers",
        "TEST007",
        {
            "tests/utils/__init__.py": "def _test_all_reduce(rank):\n    assert reduce(rank) == 3\n",
            "tests/test_dist.py": "from tests.utils import _test_all_reduce\n\n"
            "def test_all_reduce(executor):\n    executor(_test_all_reduce, nproc=2)\n",
        },
        0,
    ),
    # reduced from sympy and poetry: unpacked variables and fixture arguments that share a
    # name with an asserting helper elsewhere are no workers the test hands on
    Case(
        "variables-named-like-a-helper",
        "TEST007",
        {
            "tests/helpers.py": "def b(x):\n    assert x\n\ndef http(x):\n    assert x\n",
            "tests/test_trace.py": "def test_doit():\n    a, b = symbols('a b')\n\n"
            "def test_page(http):\n    repo = Repo({'/foo/': 200}, http)\n",
        },
        2,
    ),
    # reduced from pytorch-lightning: the model's hooks assert while the trainer runs it; a
    # class whose only assert sits outside its hooks checks nothing the test runs
    Case(
        "model-hooks-assert",
        "TEST007",
        {
            "tests/test_stop.py": "class StopModel(BoringModel):\n"
            "    def __init__(self, expected):\n        self.expected = expected\n"
            "    def on_train_end(self):\n        assert self.trainer.current_epoch == self.expected\n\n"
            "class Plain:\n    def helper(self):\n        assert True\n\n"
            "def test_stop(tmp_path):\n    Trainer(max_epochs=5).fit(StopModel(2))\n\n"
            "def test_plain():\n    Plain()\n",
        },
        1,
        says="test_plain",
    ),
    # reduced from isort: the module's checking helper bound by a partial over several lines
    Case(
        "partial-over-lines",
        "TEST007",
        {
            "tests/utils.py": "def isort_test(code, **config):\n    assert sort(code, **config) == code\n",
            "tests/test_wemake.py": "from functools import partial\nfrom tests.utils import isort_test\n\n"
            "wemake_test = partial(\n    isort_test, profile='wemake'\n)\n\n"
            "def test_one():\n    wemake_test('import os\\n')\n",
        },
        0,
    ),
    # reduced from streamlink: an autouse fixture asserts after each test has run
    Case(
        "checking-autouse-fixture",
        "TEST007",
        {
            "tests/test_player.py": "import pytest\n\nclass TestFind:\n"
            "    @pytest.fixture(autouse=True)\n    def _check(self, lookups):\n        yield\n"
            "        assert lookups == ['vlc']\n\n    def test_linux(self):\n        find_player()\n"
        },
        0,
    ),
    # reduced from openai-agents-python: a tool the test's agent calls, named like a test
    Case(
        "function-tool-named-like-a-test",
        "TEST007",
        {
            "tests/test_runner.py": "from agents import function_tool\n\n@function_tool\n"
            "def test_tool_one() -> str:\n    return 'one'\n\n"
            "def test_first_output():\n    assert run(tools=[test_tool_one]) == 'one'\n"
        },
        0,
    ),
    # reduced from datasets: `pytest.raises` arrives as a parameter, used as `with expectation:`
    Case(
        "raises-from-parametrize",
        "TEST007",
        {
            "tests/test_builder.py": "import pytest\n\n@pytest.mark.parametrize(\n"
            "    'expectation', [does_not_raise(), pytest.raises(RuntimeError)]\n)\n"
            "def test_download(expectation):\n    with expectation:\n        build()\n"
        },
        0,
    ),
    # reduced from python-sdk: the module turns its warnings into errors for every test
    Case(
        "module-marked-warnings-as-errors",
        "TEST007",
        {
            "tests/test_imports.py": "import pytest\n\n"
            "pytestmark = pytest.mark.filterwarnings('error::DeprecationWarning')\n\n"
            "def test_example_imports():\n    import_examples()\n"
        },
        0,
    ),
    Case(
        "fixture-that-checks-nothing",
        "TEST007",
        {
            "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef client():\n    return Client()\n",
            "tests/test_a.py": "def test_get(client):\n    client.get('/')\n",
        },
        1,
    ),
    Case(
        "assert-in-string-only",
        "TEST007",
        {"tests/test_a.py": "def test_a():\n    run('assert x')\n"},
        0,
    ),
    Case(
        "gpu-skip",
        "TEST008",
        {
            "tests/test_gpu.py": "import pytest\n\n@pytest.mark.skip(reason='Requires GPU')\ndef test_cuda():\n    assert run()\n"
        },
        1,
        line=3,
    ),
    Case(
        "gpu-skip-call",
        "TEST008",
        {"tests/test_gpu.py": "import pytest\n\ndef test_cuda():\n    pytest.skip('needs CUDA')\n"},
        1,
    ),
    Case(
        "gpu-skipif",
        "TEST008",
        {
            "tests/test_gpu.py": "import pytest, torch\n\n@pytest.mark.skipif(not torch.cuda.is_available(), reason='Requires GPU')\ndef test_cuda():\n    assert run()\n"
        },
        0,
    ),
    Case(
        "conditional-skip-call",
        "TEST008",
        {
            "tests/test_gpu.py": "import pytest\n\ndef test_cuda():\n    if not has_gpu():\n        pytest.skip('needs a GPU')\n    assert run()\n"
        },
        0,
    ),
    # reduced from diffusers and cibuildwheel: "outPUt" and "iNPUt" name no device
    Case(
        "device-names-inside-words",
        "TEST008",
        {
            "tests/test_a.py": "import pytest\n\n"
            '@pytest.mark.skip(reason="ControlNet output shape doesn\'t match input shape.")\n'
            "def test_a():\n    assert 1\n\n"
            "def test_b():\n    pytest.skip('to keep test output clean')\n"
        },
        0,
    ),
    Case(
        "device-words-with-underscores-and-plurals",
        "TEST008",
        {
            "tests/test_a.py": "import pytest\n\n@pytest.mark.skip(reason='requires_gpu')\n"
            "def test_a():\n    assert 1\n\n@pytest.mark.skip('needs 2 GPUs')\n"
            "def test_b():\n    assert 1\n"
        },
        2,
    ),
    Case(
        "other-skip",
        "TEST008",
        {
            "tests/test_a.py": "import pytest\n\n@pytest.mark.skip(reason='flaky upstream')\ndef test_a():\n    assert 1\n"
        },
        0,
    ),
    Case(
        "sys-path-insert",
        "TEST009",
        {"tests/conftest.py": "import sys\nsys.path.insert(0, 'src')\n"},
        1,
        line=2,
    ),
    # reduced from proxy_pool: setuptools ships no module; the service runs from the checkout
    Case(
        "sys-path-in-a-project-never-installed",
        "TEST009",
        {
            "pyproject.toml": "[tool.setuptools]\npy-modules = []\n",
            "tests/conftest.py": "import sys\nsys.path.insert(0, '..')\n",
        },
        0,
    ),
    # reduced from gunicorn: demo scripts under examples/, outside `testpaths`
    Case(
        "sys-path-in-a-folder-pytest-skips",
        "TEST009",
        {
            "pyproject.toml": '[project]\nname = "pkg"\n[tool.pytest.ini_options]\n'
            'testpaths = ["tests/"]\nnorecursedirs = ["examples", "tests/docker"]\n',
            "pkg/__init__.py": "",
            "examples/demo/test_app.py": "import sys\nsys.path.insert(0, '../..')\n"
            "def test_app():\n    assert True\n",
            "tests/docker/suite/test_http.py": "import pytest\n\n@pytest.mark.http\n"
            "def test_get():\n    assert True\n",
        },
        0,
    ),
    # reduced from coveragepy: the tests chdir into their temporary folder, then add it
    Case(
        "sys-path-relative-after-a-chdir",
        "TEST009",
        {
            "pkg/__init__.py": "",
            "tests/test_api.py": "import os\nimport sys\n\n"
            "def test_source(tmp_path):\n    os.chdir(tmp_path)\n"
            "    sys.path.insert(0, '..')\n    sys.path.insert(0, os.getcwd())\n"
            "    assert True\n",
        },
        0,
    ),
    Case(
        "sys-path-temporary-plugin-and-fixture-folders",
        "TEST009",
        {
            "src/pkg/__init__.py": "",
            "tests/test_a.py": "import sys\ndef test_a(tmp_path):\n    sys.path.append(str(tmp_path))\n"
            "    sys.path.insert(0, 'test-data/unit/plugins')\n    assert True\n",
        },
        0,
    ),
    # reduced from peft: an example script named like a test holds no test
    Case(
        "sys-path-in-a-script-named-like-a-test",
        "TEST009",
        {
            "pkg/__init__.py": "",
            "examples/demo/test_demo.py": "import sys\nsys.path.insert(0, '..')\n"
            "if __name__ == '__main__':\n    main()\n",
        },
        0,
    ),
    Case(
        "sys-path-root-in-a-flat-layout",
        "TEST009",
        {
            "pkg/__init__.py": "",
            "tests/conftest.py": "import os, sys\n"
            "sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))\n",
        },
        1,
    ),
    Case(
        "sys-path-root-when-the-package-is-under-lib",
        "TEST009",
        {
            "lib/pkg/__init__.py": "",
            "tests/test_examples.py": "import os, sys\n"
            "sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))\n"
            "def test_a():\n    assert True\n",
        },
        0,
    ),
    Case(
        "sys-path-in-string", "TEST009", {"tests/test_a.py": "CODE = 'sys.path.insert(0, x)'\n"}, 0
    ),
    # a made-up key pair that exercises the rule (split so that no scanner takes it for one)
    Case(
        "aws-key",
        "SEC003",
        {
            "src/pkg/c.py": 'KEY = "AKIA' + 'IOSFODNN7EXAMPLF"\n'
            'SECRET = "wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY"\n'
        },
        1,
        says="AWS",
    ),
    # reduced from datasets and huggingface_hub: the tests' token is for the staging Hub named
    # beside it; a token beside the production Hub only, far from a staging URL, or in the
    # package, is a leak (split so that no scanner takes it for one)
    Case(
        "a-test-token-for-a-staging-instance",
        "SEC003",
        {
            "pyproject.toml": PROJECT,
            "tests/fixtures/hub.py": 'CI_HUB_USER = "__DUMMY_DATASETS_USER__"\n'
            'CI_HUB_USER_TOKEN = "hf_' + 'hZEmnoOEYISjraJtbySaKCNnSuYAvukaTt"\n\n'
            'CI_HUB_ENDPOINT = "https://hub-ci.huggingface.co"\n',
            "tests/test_upload.py": 'ENDPOINT = "https://huggingface.co"\n'
            'TOKEN = "hf_' + 'QNqXrtFihRuySZubEgnUVvGcnENCBhKgGD"\n',
            "src/pkg/hub.py": 'ENDPOINT = "https://hub-ci.huggingface.co"\n'
            'TOKEN = "hf_' + 'HubCIToknQNqXrtFihRuySZubEgnUVvGcn"\n',
            "tests/test_far.py": 'TOKEN = "ghp_'
            + 'abcdefghijklmnopqrstuvwxyz0123456789"\n'
            + "def test_a():\n    assert run()\n" * 100
            + 'STAGING = "https://hub-ci.huggingface.co"\n',
        },
        3,
    ),
    # reduced from openai-python: the example response of an OpenAPI description
    Case(
        "a-literal-in-an-api-description",
        "SEC003",
        {
            "api_reference/openapi.transformed.yml": "paths:\n  /chatkit/sessions:\n"
            "    post:\n      response: |\n        {\n"
            '          "client_secret": "chatkit_tkn_8f3a9c",\n        }\n',
            "deploy/config.yml": 'client_secret: "chatkit_tkn_8f3a9c"\n',
        },
        1,
        says="client_secret",
    ),
    # an access key id alone signs nothing: an account's id in a script, an affiliate link
    Case("aws-key-id-alone", "SEC003", {"src/pkg/c.py": 'KEY = "AKIA' + 'IOSFODNN7EXAMPLF"\n'}, 0),
    # reduced from netbox: the character set keys are drawn from, and a test key typed as the
    # alphabet
    Case(
        "character-set-and-alphabet",
        "SEC003",
        {
            "netbox/utilities/secret_key.py": "CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'\n"
            "secret_key = 'abcdefghijklmnopqrstuvwxyz0123456789'\n"
        },
        0,
    ),
    # reduced from mealie: a user interface's translation of the word "password"
    Case(
        "translated-password",
        "SEC003",
        {
            "frontend/lang/messages/de-DE.json": '{"password": "Passwort",\n "user-password": "Benutzerpasswort"}\n'
        },
        0,
    ),
    # reduced from s3-credentials: the documentation's sample output shows an access key id
    Case(
        "aws-key-id-in-docs",
        "SEC003",
        {
            "docs/create.md": '```\n{"AccessKeyId": "AKIA'
            + 'WXFXAIOZA5IR5PY4", "SecretAccessKey": "..."}\n```\n'
        },
        0,
    ),
    # reduced from pydantic-ai: a filler key for replaying recorded requests
    Case(
        "filler-key",
        "SEC003",
        {"src/pkg/c.py": 'KEY = os.getenv("AWS_ACCESS_KEY_ID", "AKIA6666666666666666")\n'},
        0,
    ),
    Case(
        "private-key",
        "SEC003",
        {
            "deploy/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\n"
            + "b3BlbnNzaC1rZXktdjEAAAAA" * 3
            + "\n"
        },
        1,
    ),
    # reduced from google-auth: the markers a parser looks for hold no key
    Case(
        "pem-markers-in-a-parser",
        "SEC003",
        {
            "src/pkg/_rsa.py": '_PKCS1_MARKER = ("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----")\n'
            "# accepts -----BEGIN PRIVATE KEY----- and -----BEGIN EC PRIVATE KEY-----\n"
        },
        0,
    ),
    Case(
        "escaped-key-in-a-string",
        "SEC003",
        {
            "src/pkg/keys.py": 'KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA'
            + "x" * 40
            + '\\n"\n'
        },
        1,
    ),
    Case(
        "test-cert",
        "SEC003",
        {"tests/certs/server.key": "-----BEGIN RSA PRIVATE KEY-----\nabc\n"},
        0,
    ),
    # reduced from django-helpdesk: `demodesk/` is the demo project, named for what it shows
    *[
        Case(f"demo-folder-{folder}", "SEC003", {f"{folder}/config/settings.py": SETTINGS}, found)
        for folder, found in [("demodesk", 0), ("example_app", 0), ("sampler", 1), ("src/pkg", 1)]
    ],
    Case(
        "password-literal",
        "SEC003",
        {"src/pkg/settings.py": 'DB_PASSWORD = "s3cr3tV4lue!"\n'},
        1,
        says="DB_PASSWORD",
    ),
    Case(
        "password-placeholder",
        "SEC003",
        {"src/pkg/settings.py": 'DB_PASSWORD = "changeme"\nAPI_KEY = os.environ["API_KEY"]\n'},
        0,
    ),
    Case("password-from-env", "SEC003", {"config.yaml": "password: ${DB_PASSWORD}\n"}, 0),
    # reduced from mealie: translations name the password field, in any language
    Case(
        "translations",
        "SEC003",
        {
            "frontend/lang/messages/ca-ES.json": '{"user": {"password": "Contrasenya"}}\n',
            "src/pkg/locales/de.yaml": "password: Passwortfeld\n",
            "web/ja-JP.json": '{"change-password": "パスワードを変更"}\n',
        },
        0,
    ),
    Case(
        "settings-json-beside-translations",
        "SEC003",
        {"deploy/settings.json": '{"db_password": "Tr0ub4dor&3x"}\n'},
        1,
    ),
    # reduced from mealie: CI's test LDAP server and pages saved as test data
    Case(
        "workflow-service-password-and-saved-pages",
        "SEC003",
        {
            ".github/workflows/test.yml": "env:\n  LDAP_QUERY_PASSWORD: GoodNewsEveryone\n",
            "tests/data/html/recipe.html": '<a href="x?SubscriptionId=AKIAIOSFODNN7EXAMPLF">\n',
        },
        0,
    ),
    # reduced from redash and boto3: CI's compose files, a commented example, a mask, AWS's
    # documented example key
    Case(
        "ci-compose-comment-mask-and-documented-key",
        "SEC003",
        {
            ".ci/compose.ci.yaml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n",
            "src/pkg/settings.py": "# ssh_private_key_password = 'Str0ngPassw0rd'\n"
            'SECRET_PLACEHOLDER = "--------"\n',
            "docs/cloudfront.rst": "key_id = 'AKIAIOSFODNN7EXAMPLE'\n",
        },
        0,
    ),
    Case(
        "production-compose",
        "SEC003",
        {
            "compose.yaml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: 'hunter2hunter2'\n"
        },
        1,
    ),
    Case(
        "token-in-a-workflow",
        "SEC003",
        # prodready: ignore[SEC003] -- a made-up token that exercises the rule
        {".github/workflows/test.yml": "env:\n  TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"},
        1,
    ),
    Case(
        "no-reason",
        "CFG002",
        {"src/pkg/c.py": 'X = "/home/kevin/x"  # prodready: ignore[CODE004]\n'},
        1,
    ),
    Case(
        "with-reason",
        "CFG002",
        {"src/pkg/c.py": 'X = "/home/kevin/x"  # prodready: ignore[CODE004] -- fixture path\n'},
        0,
    ),
    Case(
        "in-docstring",
        "CFG002",
        {"src/pkg/c.py": '"""Write `# prodready: ignore[CODE004]` to silence."""\n'},
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_test_code_rules(audit: Audit, case: Case) -> None:
    if case.code != "TEST007" or "pyproject.toml" in case.files:
        run_case(audit, case)
    else:
        run_case(
            audit,
            Case(
                case.name,
                case.code,
                {"pyproject.toml": PROJECT, **case.files},
                case.expect,
                says=case.says,
                line=case.line,
            ),
        )


def test_suppression_silences_and_unused_is_reported(audit: Audit) -> None:
    files = {
        "pyproject.toml": PROJECT,
        "src/pkg/__init__.py": "",
        "src/pkg/c.py": (
            'A = "/home/kevin/a"  # prodready: ignore[CODE004] -- documented example\n'
            "# prodready: ignore[CODE004] -- the next line\n"
            'B = "/home/kevin/b"\n'
            'C = "/home/kevin/c"\n'
            "D = 1  # prodready: ignore[CODE004] -- stale\n"
        ),
    }
    findings = audit(files, "CODE004")
    assert [(f.code, f.line) for f in findings] == [("CODE004", 4)]
    both = audit(files, "C")
    assert sorted((f.code, f.line) for f in both if f.code.startswith("CFG")) == [("CFG003", 5)]


def test_only_collected_modules_hold_tests(audit: Audit) -> None:
    files = {
        "pyproject.toml": PROJECT,
        "tests/helpers.py": "def testfile_version(path):\n    return path\n",
        "tests/test_b.py": "import pytest\n\n@pytest.fixture\ndef tester():\n    return make()\n",
        "bench/test_speed.py": "def test_create(benchmark_fixture):\n    make()\n",
        "tests/test_a.py": "def test_a():\n    class Fixture:\n        def test(self):\n            pass\n    assert Fixture\n",
    }
    assert audit(files, "TEST007") == []


def test_a_google_api_key_is_information_a_github_token_a_warning(audit: Audit) -> None:
    # reduced from GHunt and streamlink: the public browser keys of Google's own web front ends,
    # which every visitor's browser receives; a GitHub token is a secret wherever it sits
    files = {
        "src/pkg/keys.py": 'KEYS = {"photos": {"key": "AIza'
        + 'SyAa2odBewW-sPJu3jMORr0aNedh3YlkiQc", "origin": "https://photos.google.com"}}\n',
        "src/pkg/ci.py": 'TOKEN = "ghp_' + 'abcdefghijklmnopqrstuvwxyz0123456789"\n',
    }
    found = {f.path: (f.severity.label, f.message) for f in audit(files, "SEC003")}
    assert found["src/pkg/keys.py"][0] == "info"
    assert "restrict it to your origins" in found["src/pkg/keys.py"][1]
    assert found["src/pkg/ci.py"][0] == "warning"
