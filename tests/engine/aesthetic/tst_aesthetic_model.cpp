// The aesthetic predictor network against the golden fixtures (every case of cases.json, within the README's
// tolerances), end to end from the PNG files, the head variants and folder layouts, and hostile predictor files.
#include "AestheticFixture.h"

#include "engine/aesthetic/AestheticModel.h"
#include "engine/imaging/ImageDecoder.h"
#include "engine/api/AestheticScorer.h"
#include "engine/common/EngineError.h"
#include "engine/io/SafetensorsFile.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/pickler.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <functional>
#include <map>

using namespace studio::engine;
using aesthetic_test::fixturePath;

namespace {

// Tolerances of the aesthetic-tiny README ("Suggested tolerances").
constexpr double kScoreTolerance = 1e-5;
constexpr double kEmbeddingTolerance = 1e-5;
constexpr double kHiddenStateTolerance = 1e-4;
constexpr double kEndToEndTolerance = 1e-4;

at::Tensor expectedTensor(const QString &name)
{
    static const auto file = SafetensorsFile::open(fixturePath("expected.safetensors").toStdString());
    return file->tensor(name.toStdString());
}

double maxAbsDiff(const at::Tensor &a, const at::Tensor &b)
{
    if (a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

#define COMPARE_TENSOR(ours, expected, tolerance)                                                                      \
    do {                                                                                                               \
        const double diff_ = maxAbsDiff((ours), (expected));                                                           \
        QVERIFY2(diff_ <= (tolerance), qPrintable(QStringLiteral("%1: max |diff| %2 > %3 (shapes %4 vs %5)")           \
                                                      .arg(QStringLiteral(#ours))                                      \
                                                      .arg(diff_)                                                      \
                                                      .arg(tolerance)                                                  \
                                                      .arg((ours).dim())                                               \
                                                      .arg((expected).dim())));                                        \
    } while (false)

nlohmann::json readJson(const QString &path)
{
    return nlohmann::json::parse(std::ifstream(path.toStdString()));
}

void writeText(const QString &path, const std::string &text)
{
    std::ofstream(path.toStdString(), std::ios::binary) << text;
}

// The fixture predictor as editable parts, written out as a model folder by each test.
struct ModelParts
{
    nlohmann::json config = readJson(fixturePath("config.json"));
    nlohmann::json preprocessor = readJson(fixturePath("preprocessor_config.json"));
    std::map<std::string, at::Tensor> tensors;

    ModelParts()
    {
        const auto file = SafetensorsFile::open(fixturePath("model.safetensors").toStdString());
        for (const SafetensorsEntry &entry : file->entries())
            tensors[entry.name] = file->tensor(entry.name).clone();
    }

    std::map<std::string, at::Tensor> take(const std::string &prefix)
    {
        std::map<std::string, at::Tensor> taken;
        for (auto it = tensors.begin(); it != tensors.end();) {
            if (it->first.compare(0, prefix.size(), prefix) == 0) {
                taken.insert(*it);
                it = tensors.erase(it);
            } else {
                ++it;
            }
        }
        return taken;
    }

    static void writeTensors(const QString &path, const std::map<std::string, at::Tensor> &tensors)
    {
        writeSafetensors(path.toStdString(),
                         std::vector<std::pair<std::string, at::Tensor>>(tensors.begin(), tensors.end()));
    }

    QString write(const QTemporaryDir &root, const QString &name) const
    {
        const QString dir = root.filePath(name);
        QDir().mkpath(dir);
        writeText(dir + "/config.json", config.dump(2));
        writeText(dir + "/preprocessor_config.json", preprocessor.dump(2));
        writeTensors(dir + "/model.safetensors", tensors);
        return dir;
    }
};

// The fixture's head with its Linears moved to other Sequential indices.
std::map<std::string, at::Tensor> reindexHead(std::map<std::string, at::Tensor> head, const std::vector<int> &indices)
{
    std::vector<int> old;
    for (const auto &[name, t] : head)
        if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0)
            old.push_back(std::stoi(name.substr(7)));
    std::sort(old.begin(), old.end());
    std::map<std::string, at::Tensor> out;
    for (size_t i = 0; i < old.size() && i < indices.size(); ++i)
        for (const char *member : {".weight", ".bias"})
            out["layers." + std::to_string(indices[i]) + member] = head.at("layers." + std::to_string(old[i]) + member);
    return out;
}

// The head computed by hand from its tensors (Linear = x W^T + b), with a ReLU after the given positions.
at::Tensor headByHand(const std::map<std::string, at::Tensor> &head, const std::vector<int> &indices,
                      const std::vector<bool> &relu, at::Tensor x)
{
    for (size_t i = 0; i < indices.size(); ++i) {
        const std::string name = "layers." + std::to_string(indices[i]);
        x = at::matmul(x, head.at(name + ".weight").t()) + head.at(name + ".bias");
        if (relu[i])
            x = at::relu(x);
    }
    return x;
}

// A file in torch.save's zip format holding a plain dict of tensors, like a transformers pytorch_model.bin:
// archive/data.pkl (tensors as _rebuild_tensor_v2 over persistent storage ids) and archive/data/<key>.
void writeTorchSave(const QString &path, const std::map<std::string, at::Tensor> &tensors)
{
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto &[name, tensor] : tensors)
        dict.insert(name, tensor.contiguous());
    std::string pickle;
    // No type tags: torch.save's pickles carry none (TorchScript's restore_type_tag is refused by the loader).
    torch::jit::Pickler pickler([&](const char *data, size_t size) { pickle.append(data, size); }, nullptr, nullptr,
                                nullptr, nullptr, /*tag_aggregates=*/false);
    pickler.protocol();
    pickler.pushIValue(c10::IValue(dict));
    pickler.stop();
    std::string file;
    caffe2::serialize::PyTorchStreamWriter writer([&](const void *data, size_t size) {
        file.append(static_cast<const char *>(data), size);
        return size;
    });
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    const std::vector<at::Tensor> &storages = pickler.tensorData();
    for (size_t i = 0; i < storages.size(); ++i)
        writer.writeRecord("data/" + std::to_string(i), storages[i].storage().data(), storages[i].storage().nbytes());
    writer.writeEndOfFile();
    writeText(path, file);
}

void expectLoadError(const QString &dir, EngineError::Code code, const QString &mustContain,
                     const std::string &headFile = {})
{
    try {
        AestheticModel::load(locateAestheticModel(dir.toStdString(), headFile));
    } catch (const EngineError &e) {
        QVERIFY2(e.code() == code, qPrintable(QStringLiteral("got %1: %2").arg(e.codeName(), e.what())));
        QVERIFY2(QString::fromStdString(e.what()).contains(mustContain),
                 qPrintable(QStringLiteral("\"%1\" does not mention \"%2\"").arg(e.what(), mustContain)));
        return;
    }
    QFAIL("the model was accepted");
}

} // namespace

Q_DECLARE_METATYPE(std::function<void(ModelParts &)>)
Q_DECLARE_METATYPE(std::vector<int>)
Q_DECLARE_METATYPE(std::vector<bool>)

class TestAestheticModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<AestheticModel> m_model;
    std::unique_ptr<AestheticScorer> m_scorer;

    // The first single case's pixel values and expected score, for the variant tests.
    std::pair<at::Tensor, at::Tensor> firstSingleCase() const
    {
        for (const auto &c : aesthetic_test::readCases())
            if (c.single)
                return {expectedTensor(c.id + ".pixel_values"), expectedTensor(c.id + ".score")};
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!aesthetic_test::readCases().isEmpty(), "no cases in the aesthetic-tiny fixture");
        m_model = AestheticModel::load(locateAestheticModel(aesthetic_test::fixtureDir().toStdString()));
        m_scorer = AestheticScorer::load(aesthetic_test::fixtureDir().toStdString());
        qInfo("%s", m_model->describe().c_str());
    }

    void network_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto &c : aesthetic_test::readCases())
            QTest::newRow(qPrintable(c.id)) << c.id;
    }

    // Every intermediate on the fixture's own pixel values.
    void network()
    {
        QFETCH(QString, id);
        const AestheticTrace t = m_model->run(expectedTensor(id + ".pixel_values"), /*keepHiddenStates=*/true);
        COMPARE_TENSOR(t.embeddings, expectedTensor(id + ".embeddings"), kEmbeddingTolerance);
        const at::Tensor hidden = expectedTensor(id + ".hidden_states");
        QCOMPARE(int64_t(t.hiddenStates.size()), hidden.size(0));
        COMPARE_TENSOR(at::stack(t.hiddenStates), hidden, kHiddenStateTolerance);
        COMPARE_TENSOR(t.lastHiddenState, expectedTensor(id + ".last_hidden_state"), kHiddenStateTolerance);
        COMPARE_TENSOR(t.pooled, expectedTensor(id + ".pooled"), kHiddenStateTolerance);
        COMPARE_TENSOR(t.imageEmbeds, expectedTensor(id + ".image_embeds"), kEmbeddingTolerance);
        COMPARE_TENSOR(t.normalizedEmbeds, expectedTensor(id + ".image_embeds_normalized"), kEmbeddingTolerance);
        COMPARE_TENSOR(t.score, expectedTensor(id + ".score"), kScoreTolerance);
    }

    void endToEnd_data() { network_data(); }

    // From the PNG files through the facade; batch cases go through in one batch.
    void endToEnd()
    {
        QFETCH(QString, id);
        aesthetic_test::GoldenCase c;
        for (const auto &candidate : aesthetic_test::readCases())
            if (candidate.id == id)
                c = candidate;
        std::vector<std::string> paths;
        for (const QString &p : c.images)
            paths.push_back(p.toStdString());
        const std::vector<double> scores = m_scorer->scoreFiles(paths);
        const at::Tensor expected = expectedTensor(id + ".score").reshape({-1}).to(at::kDouble);
        QCOMPARE(int64_t(scores.size()), expected.size(0));
        for (size_t i = 0; i < scores.size(); ++i)
            QVERIFY2(std::abs(scores[i] - expected[int64_t(i)].item<double>()) <= kEndToEndTolerance,
                     qPrintable(QStringLiteral("image %1: %2 vs %3")
                                    .arg(i)
                                    .arg(scores[i])
                                    .arg(expected[int64_t(i)].item<double>())));
        if (c.single) { // an RGB buffer gives the same score as the file
            const RgbImage image = ImageDecoder::decodeFile(paths.front());
            QCOMPARE(m_scorer->scoreRgb(image.pixels.data(), image.width, image.height, size_t(image.width) * 3),
                     scores.front());
        }
    }

    void headWidthsComeFromTheWeights()
    {
        const AestheticHeadLayout &head = m_model->headLayout();
        QVERIFY(!head.layers.empty());
        QVERIFY(!head.hasRelu());
        const auto file = SafetensorsFile::open(fixturePath("model.safetensors").toStdString());
        QCOMPARE(head.layers.front().in, m_model->visionConfig().projectionDim);
        QCOMPARE(head.layers.back().out, int64_t(1));
        for (const auto &layer : head.layers) {
            const SafetensorsEntry *w = file->find("layers." + std::to_string(layer.index) + ".weight");
            QVERIFY(w);
            QCOMPARE(w->shape, (std::vector<int64_t>{layer.out, layer.in}));
        }
    }

    void summaryAgainstThreshold()
    {
        QCOMPARE(AestheticScorer::summarize({}).count, 0);
        QVERIFY(!AestheticScorer::summarize({}).pass);
        const AestheticSummary s = AestheticScorer::summarize({5.5, 6.5, 6.3});
        QCOMPARE(s.count, 3);
        QCOMPARE(s.mean, (5.5 + 6.5 + 6.3) / 3);
        QVERIFY(s.pass);
        QVERIFY(!AestheticScorer::summarize({5.99}).pass);
        QVERIFY(AestheticScorer::summarize({6.0}).pass);
        QVERIFY(!AestheticScorer::summarize({6.2}, 6.5).pass);
    }

    // ReLU heads: upstream's AestheticsPredictorV2ReLU (layers.{0,3,6,9,11}) and the {0,3,6,8,9} reading.
    void reluHeads_data()
    {
        QTest::addColumn<std::vector<int>>("indices");
        QTest::addColumn<std::vector<bool>>("relu");
        QTest::newRow("upstream V2ReLU") << std::vector<int>{0, 3, 6, 9, 11}
                                         << std::vector<bool>{true, true, true, true, false};
        QTest::newRow("0,3,6,8,9") << std::vector<int>{0, 3, 6, 8, 9}
                                   << std::vector<bool>{true, true, true, false, false};
    }

    void reluHeads()
    {
        QFETCH(std::vector<int>, indices);
        QFETCH(std::vector<bool>, relu);
        ModelParts parts;
        const auto head = reindexHead(parts.take("layers."), indices);
        // Both ReLU layouts are defined for the v2 predictor's five Linears; a fixture whose head has another depth
        // cannot be re-indexed into them (its own layout is covered by the golden cases above), so the row is
        // skipped rather than testing a made-up network.
        if (head.size() != indices.size() * 2)
            QSKIP("the fixture's head does not have five Linears");
        parts.tensors.insert(head.begin(), head.end());
        QTemporaryDir root;
        const auto model = AestheticModel::load(locateAestheticModel(parts.write(root, "relu").toStdString()));
        QVERIFY(model->headLayout().hasRelu());
        for (size_t i = 0; i < indices.size(); ++i)
            QCOMPARE(model->headLayout().layers[i].reluAfter, bool(relu[i]));
        const AestheticTrace t = model->run(firstSingleCase().first);
        COMPARE_TENSOR(t.score, headByHand(head, indices, relu, t.normalizedEmbeds), 1e-6);
    }

    // The tower and the head in separate files: a head file in the folder, or given explicitly.
    void separateHeadFile()
    {
        const auto [pixels, expected] = firstSingleCase();
        ModelParts parts;
        const auto head = parts.take("layers.");
        QTemporaryDir root;
        const QString dir = parts.write(root, "tower");
        ModelParts::writeTensors(dir + "/sac+logos+ava1-l14-linearMSE.safetensors", head);
        const auto model = AestheticModel::load(locateAestheticModel(dir.toStdString()));
        COMPARE_TENSOR(model->run(pixels).score, expected, kScoreTolerance);

        QDir().mkpath(root.filePath("heads"));
        const QString explicitHead = root.filePath("heads/head.safetensors");
        ModelParts::writeTensors(explicitHead, head);
        const auto model2 = AestheticModel::load(locateAestheticModel(dir.toStdString(), explicitHead.toStdString()));
        COMPARE_TENSOR(model2->run(pixels).score, expected, kScoreTolerance);

        ModelParts::writeTensors(dir + "/other-head.safetensors", head);
        expectLoadError(dir, EngineError::Code::BadArgument, "several possible head files");
        QFile::remove(dir + "/other-head.safetensors");
        QFile::remove(dir + "/sac+logos+ava1-l14-linearMSE.safetensors");
        expectLoadError(dir, EngineError::Code::MissingWeight, "no predictor head");
    }

    // openai/clip-vit-large-patch14's layout: a CLIPModel config with "vision_config", the text tower in the
    // weights (ignored), plus a separate head.
    void clipCheckpointPlusHead()
    {
        const auto [pixels, expected] = firstSingleCase();
        ModelParts parts;
        const auto head = parts.take("layers.");
        nlohmann::json vision = parts.config;
        for (const char *key : {"architectures", "auto_map", "model_type", "transformers_version", "torch_dtype"})
            vision.erase(key);
        const int64_t projection = vision["projection_dim"].get<int64_t>();
        vision.erase("projection_dim");
        parts.config = {{"architectures", {"CLIPModel"}},
                        {"model_type", "clip"},
                        {"projection_dim", projection},
                        {"text_config", {{"hidden_size", 8}}},
                        {"vision_config", vision}};
        parts.tensors["text_model.embeddings.token_embedding.weight"] = at::randn({10, 8});
        parts.tensors["text_projection.weight"] = at::randn({projection, 8});
        parts.tensors["logit_scale"] = at::ones({});
        QTemporaryDir root;
        const QString dir = parts.write(root, "clip");
        ModelParts::writeTensors(dir + "/head.safetensors", head);
        const auto model = AestheticModel::load(locateAestheticModel(dir.toStdString()));
        COMPARE_TENSOR(model->run(pixels).score, expected, kScoreTolerance);
    }

    // pytorch_model.bin (a torch pickle) loads like safetensors once engine/io reads pickles.
    void torchPickleWeights()
    {
        const auto [pixels, expected] = firstSingleCase();
        ModelParts parts;
        QTemporaryDir root;
        const QString dir = parts.write(root, "pickle");
        QFile::remove(dir + "/model.safetensors");
        writeTorchSave(dir + "/pytorch_model.bin", parts.tensors);
        std::unique_ptr<AestheticModel> model;
        try {
            model = AestheticModel::load(locateAestheticModel(dir.toStdString()));
        } catch (const EngineError &e) {
            QFAIL(e.what());
        }
        COMPARE_TENSOR(model->run(pixels).score, expected, kScoreTolerance);
    }

    void hostileFiles_data()
    {
        QTest::addColumn<std::function<void(ModelParts &)>>("mutate");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        using C = EngineError::Code;
        const auto row = [](const char *name, std::function<void(ModelParts &)> f, C code, const char *message) {
            QTest::newRow(name) << f << int(code) << QString::fromUtf8(message);
        };
        const auto setConfig = [](const char *key, nlohmann::json value) {
            return [key, value](ModelParts &p) { p.config[key] = value; };
        };
        // Values relative to the fixture's own sizes, so the rows stay wrong for any fixture.
        const nlohmann::json base = readJson(fixturePath("config.json"));
        const auto size = [&](const char *key) { return base.at(key).get<int64_t>(); };
        const auto text = [](const char *key, int64_t v) { return std::string(key) + " " + std::to_string(v); };
        row("absurd hidden_size", setConfig("hidden_size", 1000000000), C::BadConfig, "hidden_size");
        row("absurd layer count", setConfig("num_hidden_layers", 100000), C::BadConfig, "num_hidden_layers");
        row("negative image_size", setConfig("image_size", -224), C::BadConfig, "image_size");
        row("string size", setConfig("intermediate_size", "64"), C::BadConfig, "intermediate_size");
        row("fractional size", setConfig("hidden_size", 32.5), C::BadConfig, "hidden_size");
        row("heads do not divide",
            setConfig("num_attention_heads", size("hidden_size") > 2 ? size("hidden_size") - 1 : 3), C::BadConfig,
            "divisible");
        row("patch larger than image", setConfig("patch_size", size("image_size") + 1), C::BadConfig, "patch_size");
        row("unknown activation", setConfig("hidden_act", "swish"), C::Unsupported, "hidden_act");
        row("config wider than weights", setConfig("hidden_size", 2 * size("hidden_size")), C::ShapeMismatch,
            text("hidden_size", 2 * size("hidden_size")).c_str());
        row("config with more layers", setConfig("num_hidden_layers", size("num_hidden_layers") + 3), C::BadConfig,
            text("num_hidden_layers", size("num_hidden_layers") + 3).c_str());
        // The processor's crop no longer fits the tower: refused before the weights are read.
        row("config with larger images", setConfig("image_size", 2 * size("image_size")), C::BadConfig,
            text("image_size", 2 * size("image_size")).c_str());
        row("config with other projection", setConfig("projection_dim", size("projection_dim") + 4), C::ShapeMismatch,
            text("projection_dim", size("projection_dim") + 4).c_str());
        row("config with other MLP width", setConfig("intermediate_size", size("intermediate_size") + 8),
            C::ShapeMismatch, text("intermediate_size", size("intermediate_size") + 8).c_str());
        const int64_t crop = size("image_size") + 1;
        row(
            "config with larger images and crop",
            [big = 2 * size("image_size")](ModelParts &p) {
                p.config["image_size"] = big;
                p.preprocessor["crop_size"] = {{"height", big}, {"width", big}};
            },
            C::ShapeMismatch, text("image_size", 2 * size("image_size")).c_str());
        row(
            "crop does not fit",
            [crop](ModelParts &p) {
                p.preprocessor["crop_size"] = {{"height", crop}, {"width", crop}};
            },
            C::BadConfig, "crop_size");
        row(
            "wrong tensor shape",
            [](ModelParts &p) {
                auto &t = p.tensors.at("vision_model.encoder.layers.0.self_attn.q_proj.weight");
                t = at::zeros({t.size(0), t.size(1) + 1});
            },
            C::ShapeMismatch, "vision_model.encoder.layers.0.self_attn.q_proj.weight");
        row(
            "missing tensor", [](ModelParts &p) { p.tensors.erase("vision_model.post_layernorm.bias"); },
            C::MissingWeight, "vision_model.post_layernorm.bias");
        row(
            "unexpected tensor", [](ModelParts &p) { p.tensors["vision_model.extra.weight"] = at::zeros({2}); },
            C::UnexpectedWeight, "vision_model.extra.weight");
        row(
            "integer weights",
            [](ModelParts &p) {
                auto &t = p.tensors.at("vision_model.embeddings.class_embedding");
                t = t.to(at::kLong);
            },
            C::DtypeMismatch, "vision_model.embeddings.class_embedding");
        row(
            "no vision tower", [](ModelParts &p) { p.take("vision_model."); }, C::MissingWeight, "vision_model");
        row(
            "head width does not chain",
            [](ModelParts &p) {
                auto &t = p.tensors.at("layers.2.weight");
                t = at::zeros({t.size(0), t.size(1) + 1});
            },
            C::ShapeMismatch, "layers.2.weight");
        row(
            "head does not start at the projection",
            [](ModelParts &p) {
                auto &t = p.tensors.at("layers.0.weight");
                t = at::zeros({t.size(0), t.size(1) * 2});
            },
            C::ShapeMismatch, "layers.0.weight");
        row(
            "head ends in two outputs",
            [](ModelParts &p) {
                auto &w = p.tensors.at("layers.7.weight");
                w = at::zeros({2, w.size(1)});
                p.tensors.at("layers.7.bias") = at::zeros({2});
            },
            C::ShapeMismatch, "expected 1");
        row(
            "head bias of wrong size", [](ModelParts &p) { p.tensors.at("layers.4.bias") = at::zeros({3}); },
            C::ShapeMismatch, "layers.4.bias");
        row(
            "head without bias", [](ModelParts &p) { p.tensors.erase("layers.6.bias"); }, C::MissingWeight,
            "layers.6.bias");
        row(
            "head with junk name", [](ModelParts &p) { p.tensors["layers.x.weight"] = at::zeros({1}); },
            C::UnexpectedWeight, "layers.x.weight");
        row(
            "head with unknown gap",
            [](ModelParts &p) {
                const auto head = reindexHead(p.take("layers."), {0, 2, 4, 6, 10});
                p.tensors.insert(head.begin(), head.end());
            },
            C::Unsupported, "unknown layout");
        row(
            "head with integer weights",
            [](ModelParts &p) { p.tensors.at("layers.0.weight") = p.tensors.at("layers.0.weight").to(at::kInt); },
            C::DtypeMismatch, "layers.0");
    }

    void hostileFiles()
    {
        QFETCH(std::function<void(ModelParts &)>, mutate);
        QFETCH(int, code);
        QFETCH(QString, message);
        ModelParts parts;
        mutate(parts);
        QTemporaryDir root;
        expectLoadError(parts.write(root, "hostile"), EngineError::Code(code), message);
    }

    void hostileFolders()
    {
        QTemporaryDir root;
        ModelParts parts;
        const QString dir = parts.write(root, "m");
        expectLoadError(root.filePath("absent"), EngineError::Code::MissingFile, "absent");

        writeText(dir + "/model.safetensors", "certainly not a safetensors file");
        expectLoadError(dir, EngineError::Code::BadFile, "model.safetensors");
        QFile real(fixturePath("model.safetensors"));
        QVERIFY(real.open(QIODevice::ReadOnly));
        writeText(dir + "/model.safetensors", real.readAll().left(int(real.size() / 2)).toStdString());
        expectLoadError(dir, EngineError::Code::BadFile, "model.safetensors");
        QFile::remove(dir + "/model.safetensors");
        expectLoadError(dir, EngineError::Code::MissingFile, "model.safetensors");

        parts.write(root, "m");
        writeText(dir + "/config.json", "{ not json");
        expectLoadError(dir, EngineError::Code::BadFile, "config.json");
        QFile::remove(dir + "/config.json");
        expectLoadError(dir, EngineError::Code::MissingFile, "config.json");
        parts.write(root, "m");
        QFile::remove(dir + "/preprocessor_config.json");
        expectLoadError(dir, EngineError::Code::MissingFile, "preprocessor_config.json");

        std::string why;
        QVERIFY(!AestheticScorer::looksLikeModelFolder(dir.toStdString(), &why));
        QVERIFY(QString::fromStdString(why).contains("preprocessor_config.json"));
        QVERIFY(AestheticScorer::looksLikeModelFolder(aesthetic_test::fixtureDir().toStdString()));
        QVERIFY(!AestheticScorer::modelHint().empty());
    }

    void badScoringInputs()
    {
        QTemporaryDir root;
        const std::string garbage = root.filePath("garbage.png").toStdString();
        writeText(QString::fromStdString(garbage), "not an image");
        try {
            m_scorer->scoreFile(garbage);
            QFAIL("garbage accepted");
        } catch (const EngineError &e) {
            QVERIFY(QString(e.what()).contains("garbage.png"));
        }
        const uint8_t pixel[3] = {1, 2, 3};
        try {
            m_scorer->scoreRgb(pixel, 1, 1, 2);
            QFAIL("short rows accepted");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::BadArgument);
        }
        try {
            AestheticScorer::load(aesthetic_test::fixtureDir().toStdString(), {std::string(), "tpu:7"});
            QFAIL("unknown device accepted");
        } catch (const EngineError &e) {
            QVERIFY(QString(e.what()).contains("tpu:7"));
        }
    }
};

QTEST_GUILESS_MAIN(TestAestheticModel)
#include "tst_aesthetic_model.moc"
