// Expected NOT to compile (test build_<front>_is_torch_free_guarded): Debian installs <torch/script.h> and its
// siblings straight under /usr/include, where every compiler looks; studio_engine_api's guard folder shadows them
// with an #error, so ui/ and app/ cannot include them either.
#include <torch/script.h>

int probe()
{
    return 0;
}
