#include "LoraCard.h"

#include "A1111Parameters.h"
#include "CharacterUse.h"
#include "PanelMetadata.h"

#include <QLocale>
#include <QMap>
#include <QRegularExpression>
#include <QStringList>

namespace studio::story {

namespace {

// Parts of a model name: single line, no path separators, no surrounding space.
QString cleanNamePart(const QString &text, const QString &fallback)
{
    QString s = text;
    s.replace(QRegularExpression(QStringLiteral("[\\x00-\\x1f\\x7f/\\\\]")), QStringLiteral(" "));
    s = s.simplified();
    return s.isEmpty() ? fallback : s;
}

// A YAML scalar: plain when it is simple, otherwise a double-quoted string.
QString yamlScalar(const QString &value)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9 ._+\\-]*$"));
    if (plain.match(value).hasMatch() && !value.endsWith(QLatin1Char(' ')))
        return value;
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + QString(c);
        else if (c.unicode() < 0x20)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString humanSize(qint64 bytes)
{
    const QString exact = QLocale::c().toString(bytes);
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(exact);
    return QStringLiteral("%1 bytes (%2)")
        .arg(exact, QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat));
}

QString orPending(const std::optional<QString> &value)
{
    return value ? LoraCard::escapeMarkdown(*value)
                 : QStringLiteral("*not yet determined* (filled in by the LoRA tools / 待 LoRA 工具填写)");
}

QString cell(const QString &text)
{
    const QString escaped = LoraCard::escapeMarkdown(text);
    return escaped.isEmpty() ? QStringLiteral("—") : escaped;
}

// What the chosen images were made with: the first chosen image that records the character settings, else the
// story's settings as they are saved (not rendered with them yet).
CharacterUse characterAsUsed(const Project &project)
{
    for (const Panel &panel : project.panels) {
        if (const PanelVariant *chosen = panel.chosen()) {
            const CharacterUse use = CharacterUse::fromParameters(chosen->parameters);
            if (use.any())
                return use;
        }
    }
    CharacterUse fromStory;
    const CharacterSettings &c = project.character;
    fromStory.consistent = c.consistent;
    fromStory.identityPanels = c.identityPanels;
    fromStory.strength = c.strength;
    fromStory.start = c.start;
    fromStory.storySeed = project.panels.front().seed;
    fromStory.ipAdapter = c.usesReference();
    fromStory.ipScale = c.ipScale;
    fromStory.referenceFile = c.reference == ReferenceSource::File
                                  ? c.referenceFile.section(QLatin1Char('/'), -1)
                                  : QStringLiteral("panel %1").arg(c.referencePanel + 1);
    return fromStory;
}

// Which chosen images were made with a quantized ChatGLM text encoder (issue 16): it moves the prompt embeddings
// slightly, so someone re-rendering the story with the full model should know their images will differ a little.
void textEncoderNote(const Project &project, QStringList *md)
{
    QMap<QString, QStringList> panelsByQuant;
    for (int i = 0; i < kPanelCount; ++i)
        if (const PanelVariant *chosen = project.panels[size_t(i)].chosen()) {
            const QString quant = chosen->parameters.value(QStringLiteral("textEncoderQuant")).toString();
            if (!quant.isEmpty() && quant != QLatin1String("none"))
                panelsByQuant[quant] << QString::number(i + 1);
        }
    for (auto it = panelsByQuant.cbegin(); it != panelsByQuant.cend(); ++it)
        *md << QStringLiteral("- Text encoder / 文本编码器: ChatGLM3 quantized to %1 (weight-only, per-row absmax) for "
                              "panels %2; the full text encoder gives slightly different images "
                              "(文本编码器以 %1 量化，完整模型生成的图像会略有不同).")
                   .arg(LoraCard::escapeMarkdown(it.key()), it.value().join(QStringLiteral(", ")))
            << QString();
}

// "## 角色一致性 / Consistent character": how the story kept its character the same (issue 13).
void characterSection(const Project &project, QStringList *md)
{
    const CharacterUse use = characterAsUsed(project);
    if (!use.any())
        return;
    *md << QStringLiteral("## 角色一致性 / Consistent character") << QString();
    if (use.consistent)
        *md << QStringLiteral("- Consistent self-attention / 一致性自注意力: identity panels 1–%1 are denoised together "
                              "first; every later panel shares a fraction %2 of their up-block self-attention tokens "
                              "from step %3 on. Story seed %4 (panel *i* uses seed %4 + *i* − 1).")
                   .arg(QString::number(use.identityPanels), A1111Parameters::formatNumber(use.strength),
                        QString::number(use.start), QString::number(use.storySeed));
    if (use.ipAdapter) {
        QString reference = QStringLiteral("`") + QString(use.referenceFile).remove(QLatin1Char('`')) +
                            QStringLiteral("`");
        if (!use.referenceSha256.isEmpty())
            reference += QStringLiteral(" (SHA-256 `%1`)").arg(use.referenceSha256);
        *md << QStringLiteral("- Reference image / 参考图: ") + reference +
                   QStringLiteral(", through [Kwai-Kolors/Kolors-IP-Adapter-Plus]"
                                  "(https://huggingface.co/Kwai-Kolors/Kolors-IP-Adapter-Plus) at scale %1.")
                       .arg(A1111Parameters::formatNumber(use.ipScale));
    }
    *md << QStringLiteral("- To render the story again with these settings: `storyboard render story.json`; each "
                          "`panels/NN.png` records them (`Consistency`, `Identity panels`, `IP-Adapter scale`, ... in "
                          "its `parameters` text).")
        << QString();
}

} // namespace

QString LoraCard::escapeMarkdown(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    const QString normalized = QString(text).replace(QLatin1String("\r\n"), QLatin1String("\n"));
    for (const QChar c : normalized) {
        switch (c.unicode()) {
        case '\\':
        case '|':
        case '*':
        case '_':
        case '`':
        case '[':
        case ']':
        case '#':
        case '~':
            out += QLatin1Char('\\') + QString(c);
            break;
        case '<':
            out += QStringLiteral("&lt;");
            break;
        case '>':
            out += QStringLiteral("&gt;");
            break;
        case '&':
            out += QStringLiteral("&amp;");
            break;
        case '\n':
        case '\r':
            out += QStringLiteral("<br>");
            break;
        default:
            if (c.unicode() >= 0x20 && c.unicode() != 0x7f)
                out += c;
        }
    }
    return out;
}

// "How it was trained": the trainer's record beside the LoRA file, as a table.
static void trainingSection(const LoraTrainingFacts &t, QStringList *md)
{
    const QString steps = t.stepsPlanned > t.steps
                              ? QStringLiteral("%1 of %2 planned").arg(t.steps).arg(t.stepsPlanned)
                              : QString::number(t.steps);
    *md << QString() << QStringLiteral("## 训练方式 / How it was trained") << QString()
        << QStringLiteral("| Setting | Value |") << QStringLiteral("|---|---|")
        << QStringLiteral("| Training images / 训练图片数 | %1 |").arg(t.imageCount)
        << QStringLiteral("| Data preparation / 数据处理 | %1 |").arg(cell(t.dataPreparation))
        << QStringLiteral("| Rank | %1 |").arg(t.rank)
        << QStringLiteral("| Alpha (α) | %1 |").arg(A1111Parameters::formatNumber(t.alpha))
        << QStringLiteral("| Learning rate / 学习率 | %1 |").arg(QString::number(t.learningRate, 'g', 6))
        << QStringLiteral("| Steps / 步数 | %1 |").arg(steps)
        << QStringLiteral("| Resolution / 分辨率 | %1 px%2 |")
               .arg(t.resolution)
               .arg(t.centerCrop ? QStringLiteral(", centre crop") : QString())
        << QStringLiteral("| Seed / 种子 | %1 |").arg(t.seed)
        << QStringLiteral("| Precision / 精度 | %1 |").arg(cell(t.precision))
        << QStringLiteral("| Device | %1 |").arg(cell(t.device))
        << QStringLiteral("| Base model / 基础模型 | %1 |").arg(cell(t.baseModel))
        << QStringLiteral("| Base model hash | `%1` |").arg(QString(t.baseModelHash).remove(QLatin1Char('`')))
        << QStringLiteral("| Final smoothed loss | %1 |").arg(QString::number(t.finalSmoothedLoss, 'g', 6))
        << QStringLiteral("| Trained with | %1 |").arg(cell(t.tool));
    if (!t.initLora.isEmpty())
        *md << QStringLiteral("| Started from | %1 |").arg(cell(t.initLora));
}

QString LoraCard::modelName(const Project &project)
{
    const QString team = cleanNamePart(project.teamName, QStringLiteral("team"));
    const QString name =
        cleanNamePart(project.modelName.isEmpty() ? project.title : project.modelName, QStringLiteral("story"));
    return team + QStringLiteral("-可图Kolors训练-") + name;
}

QString LoraCard::markdown(const Project &project, const std::optional<LoraFacts> &lora, const QString &gridFile,
                           const std::optional<AestheticScores> &scores)
{
    QStringList md;
    const QString license =
        project.license.trimmed().isEmpty() ? QStringLiteral("apache-2.0") : project.license.trimmed();
    md << QStringLiteral("---") << QStringLiteral("frameworks:") << QStringLiteral("- Pytorch")
       << QStringLiteral("license: ") + yamlScalar(license) << QStringLiteral("tasks:")
       << QStringLiteral("- text-to-image-synthesis") << QStringLiteral("base_model:")
       << QStringLiteral("- ") + QLatin1String(kBaseModel) << QStringLiteral("base_model_relation: adapter")
       << QStringLiteral("tags:") << QStringLiteral("- lora") << QStringLiteral("- kolors")
       << QStringLiteral("- storyboard") << QStringLiteral("---") << QString();

    md << QStringLiteral("# ") + escapeMarkdown(modelName(project)) << QString();
    if (!project.title.isEmpty())
        md << QStringLiteral("**%1** — ").arg(escapeMarkdown(project.title)) +
                  QStringLiteral("an 8-panel story drawn with a LoRA for Kolors (可图); made with Storyboard Studio.")
           << QString();
    md << QStringLiteral("![8 格故事拼图 / 8-panel story grid](%1)").arg(gridFile) << QString();

    md << QStringLiteral("## LoRA 文件 / LoRA file") << QString();
    if (lora) {
        md << QStringLiteral("| Fact | Value |") << QStringLiteral("|---|---|")
           << QStringLiteral("| File | `%1` |").arg(QString(lora->fileName).remove(QLatin1Char('`')))
           << QStringLiteral("| Size | %1 |").arg(humanSize(lora->sizeBytes))
           << QStringLiteral("| SHA-256 | `%1` |").arg(lora->sha256)
           << QStringLiteral("| Format | %1 |").arg(escapeMarkdown(lora->format))
           << QStringLiteral("| Rank | %1 |")
                  .arg(orPending(lora->rank ? std::optional<QString>(QString::number(*lora->rank)) : std::nullopt))
           << QStringLiteral("| Alpha | %1 |")
                  .arg(lora->alpha       ? A1111Parameters::formatNumber(*lora->alpha)
                       : lora->scaleRule ? QStringLiteral("none in the file (文件中无 alpha)")
                                         : orPending(std::nullopt))
           << QStringLiteral("| Loader convention | %1 |").arg(orPending(lora->convention))
           << QStringLiteral("| Effective scale | %1 |")
                  .arg(orPending(lora->effectiveScale
                                     ? std::optional<QString>(A1111Parameters::formatNumber(*lora->effectiveScale))
                                     : std::nullopt))
           << QStringLiteral("| Multiplier used for the panels | %1 |")
                  .arg(A1111Parameters::formatNumber(project.lora.scale))
           << QStringLiteral("| Scale rule | %1 |").arg(orPending(lora->scaleRule))
           << QStringLiteral("| Layers | %1 |")
                  .arg(orPending(lora->layerCount ? std::optional<QString>(QString::number(*lora->layerCount))
                                                  : std::nullopt));
        if (lora->addnetHash)
            md << QStringLiteral("| kohya addnet hash | `%1` |").arg(*lora->addnetHash);
        if (lora->training)
            trainingSection(*lora->training, &md);
    } else {
        md << QStringLiteral("*No LoRA file is set for this story yet* (本故事尚未设置 LoRA 文件).");
    }
    md << QString();

    md << QStringLiteral("## 风格与触发词 / Style and trigger words") << QString()
       << QStringLiteral("- Trigger words / 触发词: %1").arg(cell(project.lora.triggerWords))
       << QStringLiteral("- Style prefix / 风格前缀: %1").arg(cell(project.style.prefix))
       << QStringLiteral("- Style suffix / 风格后缀: %1").arg(cell(project.style.suffix))
       << QStringLiteral("- Shared negative prompt / 通用反向提示词: %1").arg(cell(project.style.negativePrompt))
       << QString();

    md << QStringLiteral("## 分镜 / Panels") << QString()
       << QStringLiteral("Prompts as the model received them (style words applied).") << QString()
       << QStringLiteral("| # | Image | Prompt | Negative prompt | Seed | Steps | CFG | Sampler | Size |")
       << QStringLiteral("|---|---|---|---|---|---|---|---|---|");
    for (int i = 0; i < kPanelCount; ++i) {
        const PanelMetadata::Settings s = PanelMetadata::settings(project, i);
        QString sampler = A1111Parameters::samplerDisplayName(s.sampler);
        const QString schedule = A1111Parameters::scheduleTypeFor(s.sampler);
        if (!schedule.isEmpty())
            sampler += QLatin1Char(' ') + schedule;
        // Joined piece by piece: chained QString::arg would substitute "%N" typed inside a prompt.
        const QString number = QStringLiteral("%1").arg(i + 1, 2, 10, QLatin1Char('0'));
        const QStringList cells = {QString::number(i + 1),
                                   QStringLiteral("[") + number + QStringLiteral("](panels/") + number +
                                       QStringLiteral(".png)"),
                                   cell(s.prompt),
                                   cell(s.negativePrompt),
                                   QString::number(s.seed),
                                   QString::number(s.steps),
                                   A1111Parameters::formatNumber(s.cfgScale),
                                   escapeMarkdown(sampler),
                                   QString::number(s.width) + QLatin1Char('x') + QString::number(s.height)};
        md << QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |");
    }
    md << QString();

    textEncoderNote(project, &md);
    characterSection(project, &md);

    if (scores && scores->count() > 0) {
        const double mean = *scores->mean();
        const bool pass = mean >= scores->threshold;
        md << QStringLiteral("## 美学评分 / Aesthetic score") << QString()
           << QStringLiteral(
                  "The challenge's validity gate: the mean \"v2 linear\" aesthetic score of the images must be "
                  "at least %1 (挑战赛要求平均美学评分不低于 %1).")
                  .arg(A1111Parameters::formatNumber(scores->threshold));
        if (!scores->model.isEmpty())
            md << QStringLiteral("Predictor: %1.").arg(escapeMarkdown(scores->model));
        md << QString() << QStringLiteral("| # | Score |") << QStringLiteral("|---|---|");
        for (int i = 0; i < kPanelCount; ++i) {
            const std::optional<double> &s = scores->panels[size_t(i)];
            md << QStringLiteral("| ") + QString::number(i + 1) + QStringLiteral(" | ") +
                      (s ? QString::number(*s, 'f', 3) : QStringLiteral("— (not scored / 未评分)")) +
                      QStringLiteral(" |");
        }
        md << QStringLiteral("| **Mean** | **%1** (%2 of %3 panels) — %4 |")
                  .arg(QString::number(mean, 'f', 3), QString::number(scores->count()), QString::number(kPanelCount),
                       pass ? QStringLiteral("passes / 达标")
                            : QStringLiteral("**below the threshold / 低于阈值**: the challenge would reject it"))
           << QString();
    }

    md << QStringLiteral("## 复现方法 / How to reproduce") << QString()
       << QStringLiteral("1. Base model: [%1](https://modelscope.cn/models/%1) (diffusers layout, its own VAE).")
              .arg(QLatin1String(kBaseModel));
    if (lora)
        md << QStringLiteral("2. Merge the LoRA `%1` (in this folder) into the UNet, ΔW = effective scale × B·A, "
                             "with multiplier %2 (`storyboard render --lora-scale`): a file that carries alpha is "
                             "merged at multiplier × alpha / rank, a file without alpha (DiffSynth .ckpt) at the "
                             "multiplier itself. The effective scale above is the result.")
                  .arg(QString(lora->fileName).remove(QLatin1Char('`')),
                       A1111Parameters::formatNumber(project.lora.scale));
    else
        md << QStringLiteral("2. No LoRA: the panels use the base model only.");
    md << QStringLiteral("3. Render each panel with the prompt, negative prompt, seed, steps, CFG scale, sampler and "
                         "size of the table above, one image per panel.")
       << QStringLiteral("4. Every `panels/NN.png` carries the same settings in its `parameters` text chunk "
                         "(A1111 format: readable by A1111/Forge \"PNG Info\", Fooocus, Civitai, stable-diffusion.cpp) "
                         "and, complete, in its `storyboard_studio` JSON chunk.")
       << QStringLiteral("5. With Storyboard Studio, open `story.json` from this folder (it references these panels), "
                         "or check it with `storyboard validate story.json`.")
       << QStringLiteral("6. `grid.png` is the challenge layout: each panel resized to 512x512 (area interpolation), "
                         "2 columns x 4 rows, row by row (panel 1 top left, panel 2 top right, ...), 1024x2048 in all.")
       << QString()
       << QStringLiteral("Exported by Storyboard Studio %1. Images are AI-generated (AI生成).")
              .arg(PanelMetadata::appVersion())
       << QString();
    return md.join(QLatin1Char('\n'));
}

} // namespace studio::story
