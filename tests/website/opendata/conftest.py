from tests.website.acts.conftest import (  # noqa: F401 (fixtures)
    _own_blob_dir,
    clerk,
    council,
    journals,
    register_act,
)
