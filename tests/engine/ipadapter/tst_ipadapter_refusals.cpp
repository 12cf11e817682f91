// IP-Adapter files that do not fit are refused with an EngineError naming the tensor (or field) and the file, before
// anything is loaded: missing and foreign keys, wrong shapes, an adapter for another image encoder or UNet, and
// broken image-encoder folders. The .bin form goes through the restricted unpickler.
#include "IpAdapterFixture.h"
#include "../io/CraftedFiles.h"

#include "engine/common/EngineError.h"
#include "engine/diffusion/UNet2DConditionModel.h"
#include "engine/io/SafetensorsFile.h"
#include "engine/io/TorchSaveWriter.h"
#include "engine/ipadapter/ClipImageEncoder.h"
#include "engine/ipadapter/IpAdapterWeights.h"

#include <ATen/ATen.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <map>

using namespace studio::engine;

namespace {

using Tensors = std::map<std::string, at::Tensor>;

const std::vector<CrossAttentionSite> &tinySites()
{
    static const std::vector<CrossAttentionSite> sites = crossAttentionSites(
        UNet2DConditionModel(UNetConfig::fromFile(ip_test::modelDir() + "/unet/config.json")));
    return sites;
}

Tensors visibleAdapter()
{
    Tensors out;
    const auto file =
        SafetensorsFile::open(ip_test::path(ip_test::ip()["files"]["ip_adapter_safetensors"].get<std::string>()));
    for (const SafetensorsEntry &e : file->entries())
        out[e.name] = file->tensor(e.name).clone();
    return out;
}

std::string encoderDir()
{
    return ip_test::path(ip_test::ip()["files"]["image_encoder_dir"].get<std::string>());
}

} // namespace

class TestIpAdapterRefusals : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_count = 0;

    std::string write(const Tensors &tensors)
    {
        const std::string path = m_dir.filePath(QStringLiteral("adapter-%1.safetensors").arg(++m_count)).toStdString();
        writeSafetensors(path, std::vector<std::pair<std::string, at::Tensor>>(tensors.begin(), tensors.end()));
        return path;
    }

    // Loading `path` fails with `code`, naming every one of `names` and the file.
    void expectRefusal(const std::string &path, EngineError::Code code, const std::vector<std::string> &names,
                       int64_t embeddingDim = 32)
    {
        try {
            IpAdapterWeights::load(path, tinySites(), embeddingDim, c10::kCPU, at::kFloat);
            QFAIL(("accepted " + path).c_str());
        } catch (const EngineError &e) {
            const std::string message = e.what();
            QVERIFY2(e.code() == code, (std::string(e.codeName()) + ": " + message).c_str());
            QVERIFY2(message.find(path) != std::string::npos, message.c_str());
            for (const std::string &name : names)
                QVERIFY2(message.find("\"" + name + "\"") != std::string::npos, (name + " not in: " + message).c_str());
        }
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void theVisibleFileLoads()
    {
        const auto weights = IpAdapterWeights::load(write(visibleAdapter()), tinySites(), 32, c10::kCPU, at::kFloat);
        QCOMPARE(weights->sites().size(), tinySites().size());
    }

    void missingTensorsAreNamed()
    {
        const std::string last = "ip_adapter." + std::to_string(tinySites().back().keyId()) + ".to_v_ip.weight";
        Tensors t = visibleAdapter();
        QVERIFY(t.erase(last) == 1);
        QVERIFY(t.erase("image_proj.layers.2.0.to_kv.weight") == 1);
        expectRefusal(write(t), EngineError::Code::MissingWeight, {last, "image_proj.layers.2.0.to_kv.weight"});
        Tensors noLatents = visibleAdapter();
        noLatents.erase("image_proj.latents");
        expectRefusal(write(noLatents), EngineError::Code::MissingWeight, {"image_proj.latents"});
    }

    void foreignTensorsAreNamed()
    {
        Tensors outside = visibleAdapter();
        outside["unet.down_blocks.0.resnets.0.conv1.weight"] = at::zeros({2, 2});
        expectRefusal(write(outside), EngineError::Code::UnexpectedWeight, {"unet.down_blocks.0.resnets.0.conv1.weight"});
        // Numbered for a UNet with more cross-attentions than this one.
        const std::string extra = "ip_adapter." + std::to_string(tinySites().back().keyId() + 2) + ".to_k_ip.weight";
        Tensors more = visibleAdapter();
        more[extra] = at::zeros({64, 32}, at::kHalf);
        more["image_proj.layers.0.0.to_q.bias"] = at::zeros({64}, at::kHalf);
        expectRefusal(write(more), EngineError::Code::UnexpectedWeight, {extra, "image_proj.layers.0.0.to_q.bias"});
    }

    void wrongShapesAreNamed()
    {
        const CrossAttentionSite &site = tinySites()[2];
        const std::string key = "ip_adapter." + std::to_string(site.keyId()) + ".to_k_ip.weight";
        Tensors t = visibleAdapter();
        t[key] = at::zeros({site.hiddenSize + 1, site.contextDim}, at::kHalf);
        t["image_proj.layers.1.1.3.weight"] = at::zeros({32, 7}, at::kHalf);
        expectRefusal(write(t), EngineError::Code::ShapeMismatch, {key, "image_proj.layers.1.1.3.weight"});

        Tensors heads = visibleAdapter();
        heads["image_proj.layers.0.0.to_q.weight"] = at::zeros({48, 32}, at::kHalf); // not a multiple of 64
        expectRefusal(write(heads), EngineError::Code::ShapeMismatch, {"image_proj.layers.0.0.to_q.weight"});

        Tensors flat = visibleAdapter();
        flat["image_proj.latents"] = at::zeros({4, 32}, at::kHalf);
        expectRefusal(write(flat), EngineError::Code::ShapeMismatch, {"image_proj.latents"});
    }

    void anAdapterForAnotherEncoderOrUNetIsRefused()
    {
        const std::string path = write(visibleAdapter());
        expectRefusal(path, EngineError::Code::ShapeMismatch, {"image_proj.proj_in.weight"}, 48);
        Tensors wide = visibleAdapter();
        wide["image_proj.proj_out.weight"] = at::zeros({24, 32}, at::kHalf);
        wide["image_proj.proj_out.bias"] = at::zeros({24}, at::kHalf);
        wide["image_proj.norm_out.weight"] = at::zeros({24}, at::kHalf);
        wide["image_proj.norm_out.bias"] = at::zeros({24}, at::kHalf);
        expectRefusal(write(wide), EngineError::Code::ShapeMismatch, {"image_proj.proj_out.weight"});
    }

    // A flat torch.save .bin with the safetensors names also loads through the restricted reader.
    void aFlatBinLoadsLikeTheSafetensors()
    {
        std::vector<std::pair<std::string, at::Tensor>> flat;
        for (const auto &[name, t] : visibleAdapter())
            flat.emplace_back(name, t.to(at::kFloat));
        const std::string path = m_dir.filePath("flat.bin").toStdString();
        writeTorchSave(path, flat);
        const auto a = IpAdapterWeights::load(path, tinySites(), 32, c10::kCPU, at::kFloat);
        const auto b = IpAdapterWeights::load(write(visibleAdapter()), tinySites(), 32, c10::kCPU, at::kFloat);
        for (const auto &item : a->named_parameters())
            QVERIFY2(at::equal(item.value(), *b->named_parameters().find(item.key())), item.key().c_str());
    }

    void aCorruptBinIsRefused()
    {
        const std::string path = m_dir.filePath("corrupt.bin").toStdString();
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("PK\x03\x04 this is not a zip archive at all");
        file.close();
        QVERIFY_EXCEPTION_THROWN(IpAdapterWeights::load(path, tinySites(), 32, c10::kCPU, at::kFloat), EngineError);
    }

    // Kwai-Kolors' .bin form with a call hidden in it: the restricted reader refuses the file, naming the global,
    // and nothing runs (the command would create a file).
    void aBinThatWouldRunCodeIsRefused()
    {
        const QString marker = m_dir.filePath("ran");
        crafted::Pickle pickle;
        pickle.proto().emptyDict().string("image_proj").global("os", "system");
        pickle.string(("touch " + marker).toStdString()).tuple1().reduce().setItem().stop();
        const std::string path = m_dir.filePath("hostile.bin").toStdString();
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::WriteOnly));
        const crafted::Bytes bytes = crafted::archive(pickle.bytes());
        file.write(bytes.data(), qint64(bytes.size()));
        file.close();
        try {
            IpAdapterWeights::load(path, tinySites(), 32, c10::kCPU, at::kFloat);
            QFAIL("accepted a pickle that calls os.system");
        } catch (const EngineError &e) {
            QVERIFY2(std::string(e.what()).find("os.system") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
        }
        QVERIFY(!QFile::exists(marker));
    }

    void brokenEncoderFoldersAreNamed()
    {
        const QString dir = m_dir.filePath("encoder");
        QVERIFY(QDir().mkpath(dir));
        for (const char *name : {"config.json", "model.safetensors"})
            QVERIFY(QFile::copy(QString::fromStdString(encoderDir() + "/" + name), dir + "/" + name));
        try {
            ClipImageEncoder::load(dir.toStdString());
            QFAIL("accepted a folder without preprocessor_config.json");
        } catch (const EngineError &e) {
            QCOMPARE(e.code(), EngineError::Code::MissingFile);
            QVERIFY2(std::string(e.what()).find("preprocessor_config.json") != std::string::npos, e.what());
        }
        QVERIFY(QFile::copy(QString::fromStdString(encoderDir() + "/preprocessor_config.json"),
                            dir + "/preprocessor_config.json"));
        QVERIFY(ClipImageEncoder::load(dir.toStdString()) != nullptr);
        // A config that does not belong to the weights is named field by field.
        nlohmann::json config = readJsonFile(encoderDir() + "/config.json");
        config["hidden_size"] = 48;
        QFile::remove(dir + "/config.json");
        QFile out(dir + "/config.json");
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray::fromStdString(config.dump()));
        out.close();
        try {
            ClipImageEncoder::load(dir.toStdString());
            QFAIL("accepted a config of another width");
        } catch (const EngineError &e) {
            QVERIFY2(std::string(e.what()).find("hidden_size 48") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestIpAdapterRefusals)
#include "tst_ipadapter_refusals.moc"
