#include "engine/api/ModelFolderApi.h"

#include "engine/io/ModelFolder.h"

namespace studio::engine {

ModelFolderFacts checkKolorsModelFolder(const std::string &dir)
{
    const KolorsModelPaths paths = locateKolorsModel(dir);
    return ModelFolderFacts{paths.root, paths.layout};
}

} // namespace studio::engine
