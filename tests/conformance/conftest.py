"""Register the ``allow_nonconforming_manifests`` marker for this folder's own tests.

``tests/conftest.py`` registers it for the whole suite too (see ``recorder`` for the wiring);
registering twice is harmless, and this keeps the folder runnable on its own under
``--strict-markers``.
"""

from tests.conformance.recorder import register_markers

pytest_configure = register_markers
