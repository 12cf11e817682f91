<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CharacterRenderSupport</name>
    <message>
        <source>The story&apos;s reference image cannot be used: %1

Change it in the Character tab, or set the IP-Adapter files in Settings ▸ Model….</source>
        <translation>无法使用故事的参考图：%1

请在“角色”页中更改，或在“设置 ▸ 模型…”中设置 IP-Adapter 文件。</translation>
    </message>
    <message>
        <source>Consistent characters cannot render this story: %1

Fix it in the Character tab.</source>
        <translation>角色一致无法生成这个故事：%1

请在“角色”页中修正。</translation>
    </message>
    <message>
        <source>No panel to render: no panel asked for has a prompt.</source>
        <translation>没有可生成的分镜：所选分镜都没有提示词。</translation>
    </message>
    <message>
        <source>Consistent characters: identity panels %1 run again first (their images stay as they are).</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 lists panel numbers (&quot;1, 2&quot;); their images are kept</extracomment>
        <translation>角色一致：先重新运行身份格 %1（它们的图像保持不变）。</translation>
    </message>
    <message>
        <source>Identity panels %1 changed since their images were made: they get new images too.</source>
        <comment>storyboard panel</comment>
        <translation>身份格 %1 在生成图像后已被修改：它们也会得到新图像。</translation>
    </message>
    <message>
        <source>Consistent characters: identity panels %1 render first, then the others.</source>
        <comment>storyboard panel</comment>
        <translation>角色一致：先生成身份格 %1，再生成其余各格。</translation>
    </message>
    <message>
        <source>Panels %1 render with panel 1&apos;s steps, CFG, sampler, size and negative prompt and seed + panel number (the story renders as one).</source>
        <comment>storyboard panel</comment>
        <translation>第 %1 格使用第 1 格的步数、CFG、采样器、尺寸和反向提示词，种子为第 1 格的种子加格序号（整个故事一起生成）。</translation>
    </message>
</context>
<context>
    <name>EngineSupport</name>
    <message>
        <source>No Kolors model folder is set.</source>
        <translation>尚未设置可图（Kolors）模型文件夹。</translation>
    </message>
    <message>
        <source>The folder “%1” does not exist.</source>
        <translation>文件夹“%1”不存在。</translation>
    </message>
    <message>
        <source>This build of Storyboard Studio has no rendering engine; install a build that renders to make images.</source>
        <translation>此版本的分镜工作室没有生成引擎；要生成图像，请安装带生成功能的版本。</translation>
    </message>
    <message>
        <source>a file of the model is missing (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the missing file</extracomment>
        <translation>模型缺少一个文件（%1）</translation>
    </message>
    <message>
        <source>a file cannot be read (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the file</extracomment>
        <translation>有文件无法读取（%1）</translation>
    </message>
    <message>
        <source>a file is damaged or not a Kolors file (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the file</extracomment>
        <translation>有文件已损坏或不是可图（Kolors）文件（%1）</translation>
    </message>
    <message>
        <source>this model uses something Storyboard Studio cannot run (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the file and what it asks for</extracomment>
        <translation>此模型使用了分镜工作室无法运行的内容（%1）</translation>
    </message>
    <message>
        <source>there is not enough memory to read the model (%1)</source>
        <extracomment>%1 is the engine&apos;s detail</extracomment>
        <translation>内存不足，无法读取模型（%1）</translation>
    </message>
    <message>
        <source>the folder cannot be used (%1)</source>
        <extracomment>%1 is the engine&apos;s detail</extracomment>
        <translation>该文件夹无法使用（%1）</translation>
    </message>
    <message>
        <source>download %1 (Hugging Face; ModelScope %2): config.json, preprocessor_config.json and pytorch_model.bin into one folder</source>
        <extracomment>%1 and %2 are the predictor&apos;s repository names on Hugging Face and ModelScope</extracomment>
        <translation>下载 %1（Hugging Face；魔搭 ModelScope：%2）中的 config.json、preprocessor_config.json 和 pytorch_model.bin，放在同一个文件夹中</translation>
    </message>
</context>
<context>
    <name>PanelState</name>
    <message>
        <source>Empty</source>
        <comment>panel has no image yet</comment>
        <translation>空</translation>
    </message>
    <message>
        <source>Image</source>
        <comment>panel has a chosen image</comment>
        <translation>有图</translation>
    </message>
    <message>
        <source>Queued</source>
        <comment>panel waits in the render queue</comment>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Rendering</source>
        <comment>panel is being rendered now</comment>
        <translation>生成中</translation>
    </message>
    <message>
        <source>Done</source>
        <comment>panel finished rendering</comment>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <comment>panel render failed</comment>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <comment>panel render was cancelled</comment>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>TrainingDataSet</name>
    <message>
        <source>file not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <source>the file cannot be read</source>
        <translation>无法读取该文件</translation>
    </message>
    <message>
        <source>not an image</source>
        <translation>不是图片</translation>
    </message>
    <message>
        <source>the image data ends early</source>
        <translation>图像数据不完整（被截断）</translation>
    </message>
    <message>
        <source>the image data is corrupt</source>
        <translation>图像数据已损坏</translation>
    </message>
    <message>
        <source>too many pixels (decompression bomb)</source>
        <translation>像素过多（解压炸弹）</translation>
    </message>
    <message>
        <source>an image kind that cannot be read</source>
        <translation>无法读取的图片类型</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>the text is empty (null)</source>
        <translation>描述文本为空（null）</translation>
    </message>
    <message>
        <source>%1: cannot read %2: %3</source>
        <translation>%1：无法读取 %2：%3</translation>
    </message>
    <message>
        <source>%1: %2 is %3, outside the bounds %4</source>
        <translation>%1：%2 为 %3，超出范围 %4</translation>
    </message>
    <message>
        <source>the same image as sample %1</source>
        <translation>与第 %1 条样本的图片完全相同</translation>
    </message>
    <message>
        <source>aesthetic score %1 of %2 is below %3</source>
        <translation>%2 的美学评分 %1 低于 %3</translation>
    </message>
    <message>
        <source>The folder %1 holds no PNG, JPEG, WebP or BMP image.</source>
        <translation>文件夹 %1 中没有 PNG、JPEG、WebP 或 BMP 图片。</translation>
    </message>
    <message>
        <source>(sample %1 without image)</source>
        <translation>（第 %1 条样本没有图片）</translation>
    </message>
    <message>
        <source>No kept image has a caption: nothing to train on.</source>
        <translation>保留的图片都没有描述文本：没有可训练的数据。</translation>
    </message>
    <message>
        <source>No image could be copied into %1.</source>
        <translation>没有图片能复制到 %1。</translation>
    </message>
    <message>
        <source>exact-duplicate removal</source>
        <translation>去除完全重复的图片</translation>
    </message>
    <message>
        <source>The image folder %1 cannot be used (%2).</source>
        <translation>无法使用图片文件夹 %1（%2）。</translation>
    </message>
    <message>
        <source>The Data-Juicer config %1 is refused (%2).</source>
        <translation>Data-Juicer 配置 %1 被拒绝（%2）。</translation>
    </message>
    <message>
        <source>The data set %1 cannot be read (%2).</source>
        <translation>无法读取数据集 %1（%2）。</translation>
    </message>
    <message>
        <source>The training folder %1 cannot be written (%2).</source>
        <translation>无法写入训练文件夹 %1（%2）。</translation>
    </message>
</context>
<context>
    <name>UndoCommand</name>
    <message>
        <source>Render panel %1</source>
        <extracomment>%1 is the panel number 1..8</extracomment>
        <translation>生成分镜 %1</translation>
    </message>
    <message>
        <source>Choose image of panel %1</source>
        <extracomment>%1 is the panel number 1..8</extracomment>
        <translation>为分镜 %1 选择图像</translation>
    </message>
    <message>
        <source>Edit %1 of panel %2</source>
        <extracomment>%1 is a field name such as &quot;prompt&quot;, %2 the panel number 1..8</extracomment>
        <translation>编辑分镜 %2 的%1</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>negative prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>seed</source>
        <comment>random seed of the image</comment>
        <translation>种子</translation>
    </message>
    <message>
        <source>seed mode</source>
        <comment>what regenerate does to the seed</comment>
        <translation>种子模式</translation>
    </message>
    <message>
        <source>steps</source>
        <comment>sampling steps</comment>
        <translation>步数</translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation>CFG 强度</translation>
    </message>
    <message>
        <source>sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Edit story %1</source>
        <extracomment>%1 is a story setting such as &quot;title&quot;</extracomment>
        <translation>编辑故事%1</translation>
    </message>
    <message>
        <source>title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>team name</source>
        <translation>团队名称</translation>
    </message>
    <message>
        <source>style prefix</source>
        <translation>风格前置词</translation>
    </message>
    <message>
        <source>style suffix</source>
        <translation>风格后置词</translation>
    </message>
    <message>
        <source>shared negative prompt</source>
        <translation>共享反向提示词</translation>
    </message>
    <message>
        <source>LoRA file</source>
        <translation>LoRA 文件</translation>
    </message>
    <message>
        <source>LoRA scale</source>
        <translation>LoRA 强度</translation>
    </message>
    <message>
        <source>model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>caption</source>
        <comment>narration or dialogue under a comic panel</comment>
        <translation>说明文字</translation>
    </message>
    <message>
        <source>Render %1 variants of panel %2</source>
        <extracomment>%1 is the number of images, %2 the panel number 1..8</extracomment>
        <translation>渲染第 %2 格的 %1 个变体</translation>
    </message>
    <message>
        <source>hires fix</source>
        <translation>高清修复</translation>
    </message>
    <message>
        <source>hires scale</source>
        <translation>高清倍数</translation>
    </message>
    <message>
        <source>hires strength</source>
        <translation>高清重绘幅度</translation>
    </message>
    <message>
        <source>hires steps</source>
        <translation>高清步数</translation>
    </message>
    <message>
        <source>Edit character settings</source>
        <translation>编辑角色设置</translation>
    </message>
</context>
<context>
    <name>studio::bridge::GenerationParameters</name>
    <message>
        <source>%1: cannot be read</source>
        <translation>%1：无法读取</translation>
    </message>
</context>
<context>
    <name>studio::story::CharacterReference</name>
    <message>
        <source>the story is not saved yet, so it has no folder for its reference image</source>
        <translation>故事尚未保存，因此还没有存放参考图的文件夹</translation>
    </message>
    <message>
        <source>no reference image file is chosen</source>
        <translation>尚未选择参考图文件</translation>
    </message>
    <message>
        <source>there is no panel %1</source>
        <translation>没有第 %1 格</translation>
    </message>
    <message>
        <source>panel %1 has no chosen image yet</source>
        <translation>第 %1 格还没有选定的图片</translation>
    </message>
    <message>
        <source>%1: file is missing</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1: unreadable</source>
        <translation>%1：无法读取</translation>
    </message>
    <message>
        <source>the story&apos;s reference image needs the IP-Adapter file and its image encoder folder (Kwai-Kolors/Kolors-IP-Adapter-Plus: ip_adapter_plus_general.bin and image_encoder/)</source>
        <translation>故事的参考图需要 IP-Adapter 文件及其图像编码器文件夹（Kwai-Kolors/Kolors-IP-Adapter-Plus：ip_adapter_plus_general.bin 和 image_encoder/）</translation>
    </message>
    <message>
        <source>IP-Adapter file %1: no such file</source>
        <translation>IP-Adapter 文件 %1：文件不存在</translation>
    </message>
    <message>
        <source>image encoder folder %1: no such folder</source>
        <translation>图像编码器文件夹 %1：文件夹不存在</translation>
    </message>
    <message>
        <source>save the story first: the reference image is copied into its folder</source>
        <translation>请先保存故事：参考图会被复制到故事的文件夹中</translation>
    </message>
    <message>
        <source>%1: not a readable file</source>
        <translation>%1：不是可读取的文件</translation>
    </message>
    <message>
        <source>%1/%2: cannot create the folder</source>
        <translation>%1/%2：无法创建文件夹</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be stored in the project: %2</source>
        <translation>“%1”无法存入项目：%2</translation>
    </message>
    <message>
        <source>cannot copy %1 to %2</source>
        <translation>无法将 %1 复制到 %2</translation>
    </message>
    <message>
        <source>too many reference images named &quot;%1&quot;</source>
        <translation>名为“%1”的参考图过多</translation>
    </message>
</context>
<context>
    <name>studio::story::CharacterSettings</name>
    <message>
        <source>identityPanels: %1 identity panels, a story of %2 panels allows 1 to %2</source>
        <translation>identityPanels：%1 个身份格，%2 格的故事只允许 1 到 %2 个</translation>
    </message>
    <message>
        <source>strength: %1 is outside [0, 1]</source>
        <translation>strength：%1 超出 [0, 1] 范围</translation>
    </message>
    <message>
        <source>start: step %1 is outside [0, %2]</source>
        <translation>start：第 %1 步超出 [0, %2] 范围</translation>
    </message>
    <message>
        <source>ipScale: %1 is outside [0, %2]</source>
        <translation>ipScale：%1 超出 [0, %2] 范围</translation>
    </message>
    <message>
        <source>referencePanel: there is no panel %1</source>
        <translation>referencePanel：没有第 %1 格</translation>
    </message>
    <message>
        <source>referenceFile: the reference is a file, but no file is named</source>
        <translation>referenceFile：参考来源是文件，但没有指定文件</translation>
    </message>
    <message>
        <source>referenceFile: refusing &quot;%1&quot;: %2</source>
        <translation>referenceFile：拒绝“%1”：%2</translation>
    </message>
    <message>
        <source>unknown reference &quot;%1&quot; (expected none, file or panel)</source>
        <translation>未知的参考来源“%1”（应为 none、file 或 panel）</translation>
    </message>
    <message>
        <source>refusing reference image path &quot;%1&quot;: %2</source>
        <translation>拒绝参考图路径“%1”：%2</translation>
    </message>
    <message>
        <source>the reference is a file, but no file is named</source>
        <translation>参考来源是文件，但没有指定文件</translation>
    </message>
</context>
<context>
    <name>studio::story::CharacterUse</name>
    <message>
        <source>made with the reference image &quot;%1&quot; (SHA-256 %2): choose it in the Character section to make the image again</source>
        <translation>此图使用参考图“%1”（SHA-256 %2）生成：如需重新生成，请在“角色”部分选择该参考图</translation>
    </message>
</context>
<context>
    <name>studio::story::ComicExporter</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1 is a symbolic link; refusing to write through it</source>
        <translation>%1 是符号链接，拒绝通过它写入</translation>
    </message>
    <message>
        <source>%1 exists and is not a file</source>
        <translation>%1 已存在且不是文件</translation>
    </message>
    <message>
        <source>%1 is %2 px wide instead of %3 px, to stay under %4 MB</source>
        <translation>%1 的宽度为 %2 像素而不是 %3 像素，以保持在 %4 MB 以内</translation>
    </message>
    <message>
        <source>%1 is %2 MB, more than phones load quickly</source>
        <translation>%1 有 %2 MB，手机加载会较慢</translation>
    </message>
    <message>
        <source>no comic format given (expected a list such as pdf,cbz,strip)</source>
        <translation>未指定漫画格式（应为 pdf,cbz,strip 这样的列表）</translation>
    </message>
    <message>
        <source>%1: cannot start the PDF</source>
        <translation>%1：无法开始写入 PDF</translation>
    </message>
    <message>
        <source>%1: cannot add a page</source>
        <translation>%1：无法添加页面</translation>
    </message>
</context>
<context>
    <name>studio::story::ComicOptions</name>
    <message>
        <source>unknown comic format &quot;%1&quot; (expected pdf, cbz or strip)</source>
        <translation>未知的漫画格式“%1”（应为 pdf、cbz 或 strip）</translation>
    </message>
</context>
<context>
    <name>studio::story::ImageIo</name>
    <message>
        <source>the image is empty</source>
        <translation>图片为空</translation>
    </message>
    <message>
        <source>the image is too large (%1x%2)</source>
        <translation>图片过大（%1x%2）</translation>
    </message>
    <message>
        <source>unsupported sample type</source>
        <translation>不支持的像素采样类型</translation>
    </message>
    <message>
        <source>unsupported number of channels (%1)</source>
        <translation>不支持的通道数（%1）</translation>
    </message>
    <message>
        <source>file is missing</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>file is too large (%1 bytes)</source>
        <translation>文件过大（%1 字节）</translation>
    </message>
    <message>
        <source>not a PNG or JPEG image</source>
        <translation>不是 PNG 或 JPEG 图片</translation>
    </message>
    <message>
        <source>damaged JPEG: the file is truncated (no end-of-image marker)</source>
        <translation>JPEG 已损坏：文件不完整（缺少图像结束标记）</translation>
    </message>
    <message>
        <source>cannot decode %1: %2</source>
        <translation>无法解码 %1：%2</translation>
    </message>
    <message>
        <source>cannot decode the %1 data (damaged or truncated file)</source>
        <translation>无法解码 %1 数据（文件损坏或不完整）</translation>
    </message>
    <message>
        <source>%1: internal error: expected an 8-bit BGR image</source>
        <translation>%1：内部错误：应为 8 位 BGR 图片</translation>
    </message>
</context>
<context>
    <name>studio::story::LoraFacts</name>
    <message>
        <source>LoRA file is missing</source>
        <translation>LoRA 文件不存在</translation>
    </message>
    <message>
        <source>LoRA path is not a file</source>
        <translation>LoRA 路径不是文件</translation>
    </message>
    <message>
        <source>cannot read the LoRA file: %1</source>
        <translation>无法读取 LoRA 文件：%1</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>the LoRA file changed while it was read</source>
        <translation>读取期间 LoRA 文件发生了变化</translation>
    </message>
</context>
<context>
    <name>studio::story::LoraTrainingFacts</name>
    <message>
        <source>too large for a training record</source>
        <translation>作为训练记录过大</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
</context>
<context>
    <name>studio::story::PanelMetadata</name>
    <message>
        <source>%1 is outside what Storyboard Studio accepts; kept the panel&apos;s value</source>
        <translation>%1 超出了分镜工作室可接受的范围；保留该格原有的值</translation>
    </message>
    <message>
        <source>hires scale %1 is not usable; kept %2</source>
        <translation>高清修复倍数 %1 不可用；保留 %2</translation>
    </message>
    <message>
        <source>size %1x%2 is not usable; kept %3x%4</source>
        <translation>尺寸 %1x%2 不可用；保留 %3x%4</translation>
    </message>
    <message>
        <source>the storyboard_studio metadata is not a JSON object</source>
        <translation>storyboard_studio 元数据不是 JSON 对象</translation>
    </message>
    <message>
        <source>the image was written by a newer version of Storyboard Studio (metadata schema %1)</source>
        <translation>该图片由更新版本的分镜工作室写入（元数据格式版本 %1）</translation>
    </message>
    <message>
        <source>the storyboard_studio metadata has no valid schema</source>
        <translation>storyboard_studio 元数据没有有效的格式版本</translation>
    </message>
    <message>
        <source>size is not usable; kept %1x%2</source>
        <translation>尺寸不可用；保留 %1x%2</translation>
    </message>
    <message>
        <source>the image carries no generation parameters</source>
        <translation>该图片不含生成参数</translation>
    </message>
</context>
<context>
    <name>studio::story::PanelRender</name>
    <message>
        <source>Cannot write “%1”: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”.</source>
        <translation>无法创建文件夹“%1”。</translation>
    </message>
</context>
<context>
    <name>studio::story::PngMetadata</name>
    <message>
        <source>cannot write a PNG of %1x%2 pixels</source>
        <translation>无法写入 %1x%2 像素的 PNG</translation>
    </message>
    <message>
        <source>cannot encode PNG: %1</source>
        <translation>无法编码 PNG：%1</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1: no image to write</source>
        <translation>%1：没有可写入的图片</translation>
    </message>
    <message>
        <source>not a PNG file</source>
        <translation>不是 PNG 文件</translation>
    </message>
    <message>
        <source>damaged PNG: inconsistent row size</source>
        <translation>PNG 已损坏：行大小不一致</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: file is too large (%2 bytes)</source>
        <translation>%1：文件过大（%2 字节）</translation>
    </message>
    <message>
        <source>invalid PNG text keyword &quot;%1&quot;</source>
        <translation>无效的 PNG 文本关键字“%1”</translation>
    </message>
    <message>
        <source>PNG text &quot;%1&quot; contains a NUL character</source>
        <translation>PNG 文本“%1”包含 NUL 字符</translation>
    </message>
    <message>
        <source>PNG text &quot;%1&quot; is not Latin-1; it needs an iTXt chunk</source>
        <translation>PNG 文本“%1”不是 Latin-1 编码，需要使用 iTXt 块</translation>
    </message>
    <message>
        <source>damaged PNG: %1</source>
        <translation>PNG 已损坏：%1</translation>
    </message>
</context>
<context>
    <name>studio::story::ProjectFile</name>
    <message>
        <source>an array</source>
        <translation>一个数组</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>一个对象</translation>
    </message>
    <message>
        <source>missing required field</source>
        <translation>缺少必填字段</translation>
    </message>
    <message>
        <source>expected a string, found %1</source>
        <translation>应为字符串，实际为 %1</translation>
    </message>
    <message>
        <source>expected a number, found %1</source>
        <translation>应为数字，实际为 %1</translation>
    </message>
    <message>
        <source>expected a whole number, found %1</source>
        <translation>应为整数，实际为 %1</translation>
    </message>
    <message>
        <source>value %1 is outside the allowed range [%2, %3]</source>
        <translation>值 %1 超出允许范围 [%2, %3]</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>expected %1, found %2</source>
        <translation>应为%1，实际为 %2</translation>
    </message>
    <message>
        <source>expected an object, found %1</source>
        <translation>应为对象，实际为 %1</translation>
    </message>
    <message>
        <source>refusing image path &quot;%1&quot;: %2</source>
        <translation>拒绝图片路径“%1”：%2</translation>
    </message>
    <message>
        <source>unknown seed mode &quot;%1&quot; (expected fixed, increment, decrement or randomize)</source>
        <translation>未知的种子模式“%1”（应为 fixed、increment、decrement 或 randomize）</translation>
    </message>
    <message>
        <source>unknown sampler &quot;%1&quot; (expected one of %2)</source>
        <translation>未知的采样器“%1”（应为以下之一：%2）</translation>
    </message>
    <message>
        <source>value %1 is not a multiple of %2</source>
        <translation>值 %1 不是 %2 的倍数</translation>
    </message>
    <message>
        <source>malformed JSON at byte %1: %2</source>
        <translation>第 %1 字节处的 JSON 格式错误：%2</translation>
    </message>
    <message>
        <source>not a story project: the JSON document is not an object</source>
        <translation>不是故事项目：JSON 文档不是对象</translation>
    </message>
    <message>
        <source>not a Storyboard Studio project (%1)</source>
        <translation>不是分镜工作室项目（%1）</translation>
    </message>
    <message>
        <source>app: &quot;%1&quot; is not a Storyboard Studio project (expected &quot;%2&quot;)</source>
        <translation>app：“%1”不是分镜工作室项目（应为“%2”）</translation>
    </message>
    <message>
        <source>schema: this file was written by a newer version of Storyboard Studio (schema %1; this version reads schema %2 and older)</source>
        <translation>schema：此文件由更新版本的分镜工作室写入（格式版本 %1；当前版本可读取 %2 及更早的格式版本）</translation>
    </message>
    <message>
        <source>refusing LoRA path &quot;%1&quot;: %2</source>
        <translation>拒绝 LoRA 路径“%1”：%2</translation>
    </message>
    <message>
        <source>a story has exactly %1 panels, this file has %2</source>
        <translation>一个故事正好有 %1 格，此文件有 %2 格</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>is a folder, not a story file</source>
        <translation>这是文件夹，不是故事文件</translation>
    </message>
    <message>
        <source>file is too large for a story (%1 bytes)</source>
        <translation>文件过大，不是故事文件（%1 字节）</translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>file is too large for a story</source>
        <translation>文件过大，不是故事文件</translation>
    </message>
    <message>
        <source>not saved, the story is invalid: %1</source>
        <translation>未保存，故事无效：%1</translation>
    </message>
    <message>
        <source>cannot write: %1</source>
        <translation>无法写入：%1</translation>
    </message>
    <message>
        <source>cannot save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
</context>
<context>
    <name>studio::story::ProjectPaths</name>
    <message>
        <source>the path is empty</source>
        <translation>路径为空</translation>
    </message>
    <message>
        <source>the path is absolute; images must be relative to the project folder</source>
        <translation>路径是绝对路径；图片路径必须相对于项目文件夹</translation>
    </message>
    <message>
        <source>the path contains a backslash; use &apos;/&apos; as separator</source>
        <translation>路径包含反斜杠；请使用 &apos;/&apos; 作为分隔符</translation>
    </message>
    <message>
        <source>the path contains &apos;:&apos; (a drive or stream name)</source>
        <translation>路径包含 &apos;:&apos;（驱动器名或数据流名）</translation>
    </message>
    <message>
        <source>the path contains a control character</source>
        <translation>路径包含控制字符</translation>
    </message>
    <message>
        <source>the path ends with &apos;/&apos; (a folder, not a file)</source>
        <translation>路径以 &apos;/&apos; 结尾（是文件夹，不是文件）</translation>
    </message>
    <message>
        <source>the path contains an empty component (&apos;//&apos;)</source>
        <translation>路径包含空的组成部分（&apos;//&apos;）</translation>
    </message>
    <message>
        <source>the path contains &apos;..&apos; and would leave the project folder</source>
        <translation>路径包含 &apos;..&apos;，会离开项目文件夹</translation>
    </message>
    <message>
        <source>the path component &apos;%1&apos; ends with a dot or space</source>
        <translation>路径组成部分 &apos;%1&apos; 以点或空格结尾</translation>
    </message>
    <message>
        <source>the path component &apos;%1&apos; is a reserved device name</source>
        <translation>路径组成部分 &apos;%1&apos; 是保留的设备名</translation>
    </message>
    <message>
        <source>the path names a folder, not a file</source>
        <translation>路径指向文件夹，不是文件</translation>
    </message>
    <message>
        <source>the path leaves the project folder</source>
        <translation>路径离开了项目文件夹</translation>
    </message>
    <message>
        <source>the path goes through a dangling symbolic link</source>
        <translation>路径经过一个失效的符号链接</translation>
    </message>
    <message>
        <source>the path leads outside the project folder through a symbolic link</source>
        <translation>路径通过符号链接指向项目文件夹之外</translation>
    </message>
</context>
<context>
    <name>studio::story::StoryExporter</name>
    <message>
        <source>%1 is a symbolic link; refusing to write through it</source>
        <translation>%1 是符号链接，拒绝通过它写入</translation>
    </message>
    <message>
        <source>%1 exists and is not a file</source>
        <translation>%1 已存在且不是文件</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>panel %1</source>
        <translation>第 %1 格</translation>
    </message>
    <message>
        <source>panels %1</source>
        <translation>第 %1 格</translation>
    </message>
    <message>
        <source>cannot export: %1 has no image</source>
        <translation>无法导出：%1没有图片</translation>
    </message>
    <message>
        <source>cannot export: %1 have no image</source>
        <translation>无法导出：%1没有图片</translation>
    </message>
    <message>
        <source>reading panel %1</source>
        <translation>正在读取第 %1 格</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>panel %1: %2: %3</source>
        <translation>第 %1 格：%2：%3</translation>
    </message>
    <message>
        <source>panel %1: %2</source>
        <translation>第 %1 格：%2</translation>
    </message>
    <message>
        <source>cannot export: </source>
        <translation>无法导出：</translation>
    </message>
    <message>
        <source>cannot export: LoRA %1: %2</source>
        <translation>无法导出：LoRA %1：%2</translation>
    </message>
    <message>
        <source>no LoRA file is set: the card says so and no LoRA is copied</source>
        <translation>未设置 LoRA 文件：模型卡中会注明，且不会复制 LoRA</translation>
    </message>
    <message>
        <source>no output folder given</source>
        <translation>未指定输出文件夹</translation>
    </message>
    <message>
        <source>%1 exists and is not a folder</source>
        <translation>%1 已存在且不是文件夹</translation>
    </message>
    <message>
        <source>refusing to export into the project folder itself; choose another folder</source>
        <translation>不能导出到项目文件夹本身；请选择其他文件夹</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1：无法创建文件夹</translation>
    </message>
    <message>
        <source>the LoRA&apos;s tensors cannot be read without the rendering engine, so the card leaves its rank, alpha and effective scale undetermined</source>
        <translation>没有生成引擎就无法读取 LoRA 的张量，因此模型卡中的秩、alpha 和有效强度保持未确定</translation>
    </message>
    <message>
        <source>the LoRA&apos;s tensors could not be read, so the card leaves its rank, alpha and effective scale undetermined: %1</source>
        <translation>无法读取 LoRA 的张量，因此模型卡中的秩、alpha 和有效强度保持未确定：%1</translation>
    </message>
    <message>
        <source>the mean aesthetic score %1 is below the challenge&apos;s threshold %2: the submission would be rejected</source>
        <translation>平均美学评分 %1 低于比赛门槛 %2：提交将被拒绝</translation>
    </message>
</context>
<context>
    <name>studio::story::StoryRenderPlan</name>
    <message>
        <source>there is no panel %1</source>
        <translation>没有第 %1 格</translation>
    </message>
    <message>
        <source>character settings: %1</source>
        <translation>角色设置：%1</translation>
    </message>
    <message>
        <source>panel %1 is an identity panel (consistent characters use panels 1 to %2) and has no prompt</source>
        <translation>第 %1 格是身份格（角色一致性使用第 1 到 %2 格），但没有提示词</translation>
    </message>
</context>
<context>
    <name>studio::story::StoryValidator</name>
    <message>
        <source>: file is missing</source>
        <translation>：文件不存在</translation>
    </message>
    <message>
        <source>: not a regular file</source>
        <translation>：不是普通文件</translation>
    </message>
    <message>
        <source>%1: unreadable: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>: not a PNG or JPEG image</source>
        <translation>：不是 PNG 或 JPEG 图片</translation>
    </message>
    <message>
        <source>%1: cannot read the %2 header</source>
        <translation>%1：无法读取 %2 文件头</translation>
    </message>
    <message>
        <source>%1: image is %2x%3, the panel is set to %4x%5</source>
        <translation>%1：图片为 %2x%3，而该格设置为 %4x%5</translation>
    </message>
    <message>
        <source>the path is relative and the story is not saved yet</source>
        <translation>路径是相对路径，而故事尚未保存</translation>
    </message>
    <message>
        <source>file is missing</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>the story has no title</source>
        <translation>故事没有标题</translation>
    </message>
    <message>
        <source>no LoRA file is set; export will say so</source>
        <translation>未设置 LoRA 文件；导出时会注明</translation>
    </message>
    <message>
        <source>LoRA %1: %2</source>
        <translation>LoRA %1：%2</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>no image chosen yet (export needs one)</source>
        <translation>尚未选定图片（导出需要一张）</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>无法读取</translation>
    </message>
</context>
<context>
    <name>studio::ui::AutosaveManager</name>
    <message>
        <source>Cannot read the autosave “%1”.</source>
        <translation>无法读取自动保存文件“%1”。</translation>
    </message>
    <message>
        <source>The autosave “%1” is damaged.</source>
        <translation>自动保存文件“%1”已损坏。</translation>
    </message>
</context>
<context>
    <name>studio::ui::CharacterSection</name>
    <message>
        <source>Consistent characters</source>
        <translation>角色一致</translation>
    </message>
    <message>
        <source>&amp;Keep the character the same in every panel</source>
        <translation>让角色在每一格中保持一致(&amp;K)</translation>
    </message>
    <message>
        <source>The identity panels are rendered together first; every later panel looks at their character while it is drawn (consistent self-attention, no extra model).</source>
        <translation>先一起生成身份格；之后的每一格在绘制时都会参照其中的角色（一致性自注意力，无需额外模型）。</translation>
    </message>
    <message>
        <source>&amp;Identity panels</source>
        <translation>身份格数(&amp;I)</translation>
    </message>
    <message>
        <source>How many of the first panels show the character (default: the first two).</source>
        <translation>开头几格用来确定角色形象（默认：前两格）。</translation>
    </message>
    <message>
        <source>S&amp;trength</source>
        <translation>强度(&amp;T)</translation>
    </message>
    <message>
        <source>How much of the identity panels a later panel sees (0: nothing, 1: everything; default 0.5).</source>
        <translation>之后的格能参照身份格的多少内容（0：不参照，1：全部；默认 0.5）。</translation>
    </message>
    <message>
        <source>Start at st&amp;ep</source>
        <translation>起始步(&amp;E)</translation>
    </message>
    <message>
        <source>Steps before this one draw freely (default 5); lower values hold the character more tightly.</source>
        <translation>此步之前自由绘制（默认 5）；数值越小，角色保持得越紧。</translation>
    </message>
    <message>
        <source>Reference image</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>来源(&amp;S)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不使用</translation>
    </message>
    <message>
        <source>An image file</source>
        <translation>图片文件</translation>
    </message>
    <message>
        <source>A panel&apos;s chosen image</source>
        <translation>某一格的选定图像</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>The image is copied into the story&apos;s folder.</source>
        <translation>图片会复制到故事文件夹中。</translation>
    </message>
    <message>
        <source>&amp;Panel</source>
        <comment>storyboard panel</comment>
        <translation>分镜(&amp;P)</translation>
    </message>
    <message>
        <source>IP s&amp;cale</source>
        <translation>IP 强度(&amp;C)</translation>
    </message>
    <message>
        <source>How strongly the reference image steers every panel (default 0.5).</source>
        <translation>参考图对每一格的影响强度（默认 0.5）。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Use panel %1</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number 1..8</extracomment>
        <translation>使用第 %1 格</translation>
    </message>
    <message>
        <source>Render All draws panels 1–%1 first, then the rest. The story renders as one: every panel uses panel 1&apos;s steps, CFG, sampler and size, and seed + its number.</source>
        <comment>storyboard panel</comment>
        <translation>“生成全部”先画第 1–%1 格，再画其余各格。整个故事一起生成：每格都使用第 1 格的步数、CFG、采样器和尺寸，种子为第 1 格的种子加上格序号。</translation>
    </message>
    <message>
        <source>Off: every panel is drawn on its own.</source>
        <translation>关闭：每一格各自独立生成。</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>无图像</translation>
    </message>
    <message>
        <source>Panel %1 is an identity panel and has no prompt yet.</source>
        <comment>storyboard panel</comment>
        <translation>第 %1 格是身份格，但还没有提示词。</translation>
    </message>
    <message>
        <source>A reference image needs the IP-Adapter files: set them in &lt;a href=&quot;#model&quot;&gt;Settings ▸ Model…&lt;/a&gt;.</source>
        <translation>参考图需要 IP-Adapter 文件：请在&lt;a href=&quot;#model&quot;&gt;“设置 ▸ 模型…”&lt;/a&gt;中设置。</translation>
    </message>
    <message>
        <source>Save the story first: the reference image is kept in the story&apos;s folder.</source>
        <translation>请先保存故事：参考图保存在故事文件夹中。</translation>
    </message>
    <message>
        <source>Panel %1 has no chosen image yet: render it first.</source>
        <comment>storyboard panel</comment>
        <translation>第 %1 格还没有选定的图像：请先生成它。</translation>
    </message>
    <message>
        <source>The reference image is missing from the story&apos;s folder: choose it again.</source>
        <translation>故事文件夹中找不到参考图：请重新选择。</translation>
    </message>
    <message>
        <source>Choose the character&apos;s reference image</source>
        <translation>选择角色参考图</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The image cannot be used: %1</source>
        <translation>无法使用该图片：%1</translation>
    </message>
</context>
<context>
    <name>studio::ui::ExportDialog</name>
    <message>
        <source>AI-generated</source>
        <comment>the visible label drawn on exported images (GB 45438-2025)</comment>
        <translation>AI生成</translation>
    </message>
    <message>
        <source>Export Story</source>
        <translation>导出故事</translation>
    </message>
    <message>
        <source>Export to &amp;folder:</source>
        <translation>导出到文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Comic to read and share (next to the challenge submission)</source>
        <translation>供阅读和分享的漫画（与参赛作品一起导出）</translation>
    </message>
    <message>
        <source>&amp;Vertical strip for phones (comic-strip.png)</source>
        <translation>手机条漫长图(&amp;V)（comic-strip.png）</translation>
    </message>
    <message>
        <source>&amp;PDF (comic.pdf)</source>
        <translation>PDF(&amp;P)（comic.pdf）</translation>
    </message>
    <message>
        <source>2×4 panels on one page</source>
        <translation>一页排 2×4 格</translation>
    </message>
    <message>
        <source>One panel per page</source>
        <translation>每页一格</translation>
    </message>
    <message>
        <source>AI-generated content label</source>
        <translation>AI 生成内容标识</translation>
    </message>
    <message>
        <source>Show “%1” on the &amp;comic</source>
        <translation>在漫画上显示“%1”(&amp;C)</translation>
    </message>
    <message>
        <source>Show “%1” on the &amp;submission images too</source>
        <translation>参赛图片上也显示“%1”(&amp;S)</translation>
    </message>
    <message>
        <source>Every image and the PDF always carry the implicit label in their metadata, as the 2025 labelling rules require.</source>
        <translation>按 2025 年标识办法的要求，所有图片和 PDF 的元数据中始终带有隐式标识。</translation>
    </message>
    <message>
        <source>Preview (phone strip)</source>
        <translation>预览（手机条漫）</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Export Story to Folder</source>
        <translation>将故事导出到文件夹</translation>
    </message>
    <message>
        <source>CB&amp;Z for comic readers (comic.cbz)</source>
        <translation>漫画阅读器用 CBZ(&amp;Z)（comic.cbz）</translation>
    </message>
</context>
<context>
    <name>studio::ui::HiresFixRow</name>
    <message>
        <source>→ %1×%2 px, %3 of %4 steps</source>
        <extracomment>hires fix result: %1 x %2 pixels, %3 of %4 steps run in the second pass</extracomment>
        <translation>→ %1×%2 像素，运行 %4 步中的 %3 步</translation>
    </message>
    <message>
        <source>&amp;Hires fix</source>
        <comment>A1111&apos;s hires fix</comment>
        <translation>高清修复(&amp;H)</translation>
    </message>
    <message>
        <source>Render at the panel&apos;s size, upscale the latents and refine them (A1111&apos;s hires fix with the “Latent” upscaler). The panel keeps its size; the image comes out larger.</source>
        <translation>按本格尺寸渲染，放大潜空间后再细化（A1111 的高清修复，“Latent”放大器）。本格尺寸不变，图片输出更大。</translation>
    </message>
    <message>
        <source>Scale</source>
        <comment>hires fix upscale factor</comment>
        <translation>倍数</translation>
    </message>
    <message>
        <source>Strength</source>
        <comment>hires fix denoising strength</comment>
        <translation>重绘幅度</translation>
    </message>
    <message>
        <source>Steps</source>
        <comment>hires fix steps</comment>
        <translation>步数</translation>
    </message>
    <message>
        <source>same</source>
        <comment>hires steps: as many as the panel&apos;s</comment>
        <translation>同本格</translation>
    </message>
</context>
<context>
    <name>studio::ui::IpAdapterSettingsGroup</name>
    <message>
        <source>Reference image (IP-Adapter)</source>
        <translation>参考图（IP-Adapter）</translation>
    </message>
    <message>
        <source>A story&apos;s reference image needs Kolors-IP-Adapter-Plus, downloaded once from &lt;a href=&quot;https://huggingface.co/Kwai-Kolors/Kolors-IP-Adapter-Plus&quot;&gt;Hugging Face Kwai-Kolors/Kolors-IP-Adapter-Plus&lt;/a&gt;: the file &lt;tt&gt;ip_adapter_plus_general.bin&lt;/tt&gt; and the folder &lt;tt&gt;image_encoder/&lt;/tt&gt;.</source>
        <translation>故事的参考图需要 Kolors-IP-Adapter-Plus，只需从 &lt;a href=&quot;https://huggingface.co/Kwai-Kolors/Kolors-IP-Adapter-Plus&quot;&gt;Hugging Face Kwai-Kolors/Kolors-IP-Adapter-Plus&lt;/a&gt; 下载一次：文件 &lt;tt&gt;ip_adapter_plus_general.bin&lt;/tt&gt; 和文件夹 &lt;tt&gt;image_encoder/&lt;/tt&gt;。</translation>
    </message>
    <message>
        <source>IP-&amp;Adapter file</source>
        <translation>IP-Adapter 文件(&amp;A)</translation>
    </message>
    <message>
        <source>ip_adapter_plus_general.bin or .safetensors</source>
        <translation>ip_adapter_plus_general.bin 或 .safetensors</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Image &amp;encoder folder</source>
        <translation>图像编码器文件夹(&amp;E)</translation>
    </message>
    <message>
        <source>Kolors-IP-Adapter-Plus/image_encoder</source>
        <translation>Kolors-IP-Adapter-Plus/image_encoder</translation>
    </message>
    <message>
        <source>No IP-Adapter file or image encoder folder is set (Settings ▸ Model).</source>
        <translation>尚未设置 IP-Adapter 文件或图像编码器文件夹（设置 ▸ 模型）。</translation>
    </message>
    <message>
        <source>The IP-Adapter file “%1” does not exist.</source>
        <translation>IP-Adapter 文件“%1”不存在。</translation>
    </message>
    <message>
        <source>The image encoder folder has no %1.</source>
        <translation>图像编码器文件夹中没有 %1。</translation>
    </message>
    <message>
        <source>The image encoder folder has no model.safetensors or pytorch_model.bin.</source>
        <translation>图像编码器文件夹中没有 model.safetensors 或 pytorch_model.bin。</translation>
    </message>
    <message>
        <source>Not set: stories can use consistent characters, but no reference image.</source>
        <translation>未设置：故事可以使用角色一致，但不能使用参考图。</translation>
    </message>
    <message>
        <source>✓ IP-Adapter files found.</source>
        <translation>✓ 已找到 IP-Adapter 文件。</translation>
    </message>
    <message>
        <source>✗ Not usable: %1</source>
        <translation>✗ 无法使用：%1</translation>
    </message>
    <message>
        <source>Choose the IP-Adapter file</source>
        <translation>选择 IP-Adapter 文件</translation>
    </message>
    <message>
        <source>IP-Adapter weights (*.bin *.safetensors);;All files (*)</source>
        <translation>IP-Adapter 权重 (*.bin *.safetensors);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the image encoder folder</source>
        <translation>选择图像编码器文件夹</translation>
    </message>
</context>
<context>
    <name>studio::ui::LossChart</name>
    <message>
        <source>Loss per step</source>
        <translation>每步损失</translation>
    </message>
    <message>
        <source>Smoothed loss</source>
        <translation>平滑损失</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
</context>
<context>
    <name>studio::ui::MainWindow</name>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>&amp;New Story</source>
        <translation>新建故事(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new 8-panel story</source>
        <translation>新建一个 8 格分镜故事</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a story file</source>
        <translation>打开故事文件</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the story</source>
        <translation>保存故事</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the story under a new name</source>
        <translation>以新的文件名保存故事</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Export the grid, the panels and the LoRA card into a folder</source>
        <translation>将拼图、各格图像和 LoRA 模型卡导出到文件夹</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清除列表(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;About Storyboard Studio</source>
        <translation>关于分镜工作室(&amp;A)</translation>
    </message>
    <message>
        <source>Panel</source>
        <comment>storyboard panel</comment>
        <translation>分镜</translation>
    </message>
    <message>
        <source>Story</source>
        <translation>故事</translation>
    </message>
    <message>
        <source>%1[*] — Storyboard Studio</source>
        <extracomment>window title: %1 is the story title or file name, [*] marks unsaved changes (keep it)</extracomment>
        <translation>%1[*] — 分镜工作室</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Undo: %1</source>
        <extracomment>%1 describes the edit, e.g. &quot;Edit prompt of panel 3&quot;</extracomment>
        <translation>撤销：%1</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的操作</translation>
    </message>
    <message>
        <source>Redo: %1</source>
        <extracomment>%1 describes the edit, e.g. &quot;Edit prompt of panel 3&quot;</extracomment>
        <translation>重做：%1</translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation>没有可重做的操作</translation>
    </message>
    <message>
        <source>No recent stories</source>
        <translation>没有最近打开的故事</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>“%1” has unsaved changes. Do you want to save them?</source>
        <translation>“%1”有未保存的更改。要保存吗？</translation>
    </message>
    <message>
        <source>New story</source>
        <translation>已新建故事</translation>
    </message>
    <message>
        <source>Open Story</source>
        <translation>打开故事</translation>
    </message>
    <message>
        <source>Story files (*.json);;All files (*)</source>
        <translation>故事文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot Open Story</source>
        <translation>无法打开故事</translation>
    </message>
    <message>
        <source>“%1” could not be opened.

%2</source>
        <translation>无法打开“%1”。

%2</translation>
    </message>
    <message>
        <source>Recover Unsaved Changes</source>
        <translation>恢复未保存的更改</translation>
    </message>
    <message>
        <source>There are unsaved changes to “%1” from %2 that were kept by autosave (the studio did not close normally). Recover them?</source>
        <translation>自动保存保留了“%1”于 %2 的未保存更改（分镜工作室上次没有正常关闭）。要恢复这些更改吗？</translation>
    </message>
    <message>
        <source>Cannot Recover</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Recovered unsaved changes; save to keep them</source>
        <translation>已恢复未保存的更改；请保存以保留它们</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Cannot Save Story</source>
        <translation>无法保存故事</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Save Story As</source>
        <translation>故事另存为</translation>
    </message>
    <message>
        <source>Story files (*.json)</source>
        <translation>故事文件 (*.json)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>The folder “%1” is not empty. Files of an earlier export in it will be replaced. Export anyway?</source>
        <translation>文件夹“%1”不是空的，其中先前导出的同名文件将被替换。仍要导出吗？</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>正在导出到 %1…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>an untitled story</source>
        <translation>一个未命名的故事</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>Recover Unsaved Work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>The studio did not close normally. Unsaved changes to %1 from %2 were kept by autosave. Recover them?

If you choose No, they are deleted.</source>
        <translation>分镜工作室上次没有正常关闭。自动保存保留了%1于 %2 的未保存更改。要恢复这些更改吗？

如果选择“否”，这些更改将被删除。</translation>
    </message>
    <message>
        <source>About Storyboard Studio</source>
        <translation>关于分镜工作室</translation>
    </message>
    <message>
        <source>Storyboard Studio %1

Write, render and export 8-panel Kolors story comics.</source>
        <translation>分镜工作室 %1

编写、生成并导出 8 格可图（Kolors）故事漫画。</translation>
    </message>
    <message>
        <source>Export Finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>The story was exported to “%1”. Please note:

%2</source>
        <translation>故事已导出到“%1”。请注意：

%2</translation>
    </message>
    <message>
        <source>estimating…</source>
        <comment>time left</comment>
        <translation>估算中…</translation>
    </message>
    <message>
        <source>%1 s</source>
        <comment>seconds</comment>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <comment>minutes and seconds</comment>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <comment>hours and minutes</comment>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>&amp;Render</source>
        <translation>生成(&amp;R)</translation>
    </message>
    <message>
        <source>Render &amp;All Panels</source>
        <translation>生成全部分镜(&amp;A)</translation>
    </message>
    <message>
        <source>Queue every panel that has a prompt</source>
        <translation>将所有有提示词的分镜加入队列</translation>
    </message>
    <message>
        <source>Render &amp;Panel</source>
        <comment>storyboard panel</comment>
        <translation>生成此分镜(&amp;P)</translation>
    </message>
    <message>
        <source>Render the selected panel with its seed (Ctrl+Enter)</source>
        <translation>用所选分镜自己的种子生成它（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Re&amp;generate Panel</source>
        <comment>render again with a new seed</comment>
        <translation>重新生成分镜(&amp;G)</translation>
    </message>
    <message>
        <source>Render the selected panel again with the next seed of its seed mode; earlier images are kept</source>
        <translation>按种子模式换下一个种子重新生成所选分镜；之前的图像都会保留</translation>
    </message>
    <message>
        <source>&amp;Cancel Selected Panel</source>
        <comment>take the panel out of the render queue</comment>
        <translation>取消所选分镜(&amp;C)</translation>
    </message>
    <message>
        <source>Take the selected panel out of the queue, or stop it if it is rendering</source>
        <translation>将所选分镜移出队列；如果正在生成则停止它</translation>
    </message>
    <message>
        <source>&amp;Stop Now</source>
        <translation>立即停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop the running panel at its next step and clear the queue (Esc)</source>
        <translation>在下一步停止正在生成的分镜并清空队列（Esc）</translation>
    </message>
    <message>
        <source>Stop &amp;After This Panel</source>
        <comment>storyboard panel</comment>
        <translation>生成完此分镜后停止(&amp;A)</translation>
    </message>
    <message>
        <source>Let the running panel finish, then stop</source>
        <translation>让正在生成的分镜完成，然后停止</translation>
    </message>
    <message>
        <source>&amp;Model…</source>
        <comment>Kolors model settings</comment>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Kolors folder, LoRA, device, memory options and the aesthetic predictor</source>
        <translation>可图文件夹、LoRA、设备、显存选项和美学评分模型</translation>
    </message>
    <message>
        <source>Aesthetic Score Below Threshold</source>
        <translation>美学评分低于阈值</translation>
    </message>
    <message>
        <source>The mean aesthetic score of the chosen images is %1 (%2 of 8 panels scored), below the threshold %3. The challenge rejected stories below it. Export anyway?</source>
        <translation>所选图像的平均美学评分为 %1（8 格中有 %2 格已评分），低于阈值 %3。比赛会拒收低于该阈值的作品。仍要导出吗？</translation>
    </message>
    <message>
        <source>Rendering panel %1 with seed %2…</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number, %2 the seed used</extracomment>
        <translation>正在用种子 %2 生成分镜 %1…</translation>
    </message>
    <message>
        <source>Panel %1 rendered in %2 (seed %3).</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 生成完成，用时 %2（种子 %3）。</translation>
    </message>
    <message>
        <source>Aesthetic score %1.</source>
        <translation>美学评分 %1。</translation>
    </message>
    <message>
        <source>It needed tiled VAE decoding after running out of memory.</source>
        <translation>因显存不足，改用了 VAE 分块解码。</translation>
    </message>
    <message>
        <source>Cannot Render</source>
        <translation>无法生成</translation>
    </message>
    <message>
        <source>Render queue finished (%1 of %2 panels).</source>
        <extracomment>%1 panels ended, %2 panels in the batch</extracomment>
        <translation>生成队列已结束（%2 格中完成 %1 格）。</translation>
    </message>
    <message>
        <source>Save the Story First</source>
        <translation>请先保存故事</translation>
    </message>
    <message>
        <source>Rendered images are kept in the story&apos;s folder (images/panel-01 … panel-08), next to the story file. Save the story now to choose that folder?</source>
        <translation>生成的图像保存在故事文件所在的文件夹中（images/panel-01 … panel-08）。现在保存故事以选择该文件夹吗？</translation>
    </message>
    <message>
        <source>Panel %1 is not in the render queue.</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 不在生成队列中。</translation>
    </message>
    <message>
        <source>Cannot Use This Image</source>
        <translation>无法使用此图像</translation>
    </message>
    <message>
        <source>Panel %1 now has the settings of “%2”.</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number, %2 the image file name</extracomment>
        <translation>分镜 %1 已采用“%2”中的生成参数。</translation>
    </message>
    <message>
        <source>Panel %1: step %2/%3, %4 left</source>
        <comment>storyboard panel</comment>
        <extracomment>progress bar text; %1 panel number, %2 step, %3 steps, %4 time left (e.g. &quot;12 s&quot;)</extracomment>
        <translation>分镜 %1：第 %2/%3 步，剩余 %4</translation>
    </message>
    <message>
        <source>Story: %1 of %2 panels, %3 left</source>
        <extracomment>progress bar text; %1 panels finished, %2 panels queued in all, %3 time left</extracomment>
        <translation>故事：%2 格中已完成 %1 格，剩余 %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;No Kolors model yet.&lt;/b&gt; Everything but rendering works. Rendering needs the Kolors weights (about 16 GB, from Hugging Face or ModelScope): Settings ▸ Model… lists the files and where to get them.</source>
        <translation>&lt;b&gt;尚未设置可图（Kolors）模型。&lt;/b&gt;除生成外的所有功能都可以使用。生成需要可图模型权重（约 16 GB，可从 Hugging Face 或魔搭 ModelScope 下载）：“设置 ▸ 模型…”中列出了所需文件及下载位置。</translation>
    </message>
    <message>
        <source>Aesthetic: no scores yet</source>
        <translation>美学评分：尚无</translation>
    </message>
    <message>
        <source>Aesthetic: no predictor</source>
        <translation>美学评分：未设置评分模型</translation>
    </message>
    <message>
        <source>Each panel is scored after it is rendered.</source>
        <translation>每格生成后都会评分。</translation>
    </message>
    <message>
        <source>Set the aesthetic predictor in Settings ▸ Model… to score each render. %1</source>
        <translation>在“设置 ▸ 模型…”中设置美学评分模型后，每次生成都会评分。%1</translation>
    </message>
    <message>
        <source>Aesthetic mean %1 (threshold %2, %3 of 8 panels)</source>
        <extracomment>status bar; %1 mean aesthetic score, %2 the threshold, %3 scored panels</extracomment>
        <translation>美学平均分 %1（阈值 %2，8 格中 %3 格）</translation>
    </message>
    <message>
        <source>The mean meets the challenge&apos;s threshold.</source>
        <translation>平均分达到比赛阈值。</translation>
    </message>
    <message>
        <source>Below the threshold: the challenge would reject this story.</source>
        <translation>低于阈值：比赛会拒收这个故事。</translation>
    </message>
    <message>
        <source>Rendering</source>
        <translation>正在生成</translation>
    </message>
    <message>
        <source>Panels are still rendering. Stop rendering and quit?</source>
        <translation>仍有分镜正在生成。停止生成并退出吗？</translation>
    </message>
    <message>
        <source>&amp;Train LoRA…</source>
        <translation>训练 LoRA(&amp;T)…</translation>
    </message>
    <message>
        <source>Prepare training images and train the story&apos;s style LoRA</source>
        <translation>准备训练图片并训练本故事的风格 LoRA</translation>
    </message>
    <message>
        <source>The export is still being written. Quit as soon as it is finished?</source>
        <translation>导出仍在写入中。导出完成后立即退出吗？</translation>
    </message>
    <message>
        <source>Character</source>
        <comment>the story&apos;s recurring character</comment>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>studio::ui::MemoryEstimateLabel</name>
    <message>
        <source>Choose the model folder to see how much memory rendering needs.</source>
        <translation>选择模型文件夹后即可看到生成需要多少内存。</translation>
    </message>
    <message>
        <source>Estimating the memory these settings need…</source>
        <translation>正在估算这些设置所需的内存…</translation>
    </message>
    <message>
        <source>No memory estimate: %1</source>
        <translation>无法估算内存：%1</translation>
    </message>
    <message>
        <source>Estimated peak for %1×%2 images: %3 of GPU memory, %4 of RAM (%5 with the model files the system maps in).</source>
        <translation>生成 %1×%2 图像的预计峰值：显存 %3，内存 %4（含系统映射的模型文件为 %5）。</translation>
    </message>
    <message>
        <source>Estimated peak for %1×%2 images on the CPU: %3 of RAM (%4 with the model files the system maps in).</source>
        <translation>在 CPU 上生成 %1×%2 图像的预计峰值：内存 %3（含系统映射的模型文件为 %4）。</translation>
    </message>
    <message>
        <source>How much RAM is free on this computer is unknown, so there is no verdict on whether these settings fit.</source>
        <translation>无法得知这台电脑现在有多少空闲内存，因此无法判断这些设置是否放得下。</translation>
    </message>
    <message>
        <source>How much GPU memory is free is unknown, so there is no verdict on whether these settings fit.</source>
        <translation>无法得知现在有多少空闲显存，因此无法判断这些设置是否放得下。</translation>
    </message>
    <message>
        <source>✓ Fits: needs %1 of the %2 of GPU memory and %3 of the %4 of RAM free now.</source>
        <translation>✓ 放得下：需要显存 %1（现空闲 %2）、内存 %3（现空闲 %4）。</translation>
    </message>
    <message>
        <source>✓ Fits: needs %1 of the %2 of RAM free now.</source>
        <translation>✓ 放得下：需要内存 %1（现空闲 %2）。</translation>
    </message>
    <message>
        <source>The text encoder then runs on the CPU, as “Automatic” chooses when GPU memory is short.</source>
        <translation>此时文本编码器在 CPU 上运行：显存不足时“自动”会这样选择。</translation>
    </message>
    <message>
        <source>✗ Does not fit: needs %1 of GPU memory and %2 of RAM; %3 and %4 are free now.</source>
        <translation>✗ 放不下：需要显存 %1、内存 %2，现仅空闲 %3 和 %4。</translation>
    </message>
    <message>
        <source>✗ Does not fit: needs %1 of GPU memory, %2 free now.</source>
        <translation>✗ 放不下：需要显存 %1，现仅空闲 %2。</translation>
    </message>
    <message>
        <source>✗ Does not fit: needs %1 of RAM, %2 free now.</source>
        <translation>✗ 放不下：需要内存 %1，现仅空闲 %2。</translation>
    </message>
    <message>
        <source>No lighter setting fits: close other programs or choose a smaller image size.</source>
        <translation>没有更省内存的设置能放得下：请关闭其他程序，或选择更小的图像尺寸。</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <extracomment>%1 is a row of Settings ▸ Model, %2 the choice to make in it</extracomment>
        <translation>“%1”：%2</translation>
    </message>
    <message>
        <source>%1 of GPU memory, %2 of RAM</source>
        <translation>显存 %1、内存 %2</translation>
    </message>
    <message>
        <source>%1 of RAM</source>
        <translation>内存 %1</translation>
    </message>
    <message>
        <source>Lighter settings that fit: %1 (needs %2).</source>
        <extracomment>%1 lists the choices (“row”: choice), %2 what they need</extracomment>
        <translation>放得下的更省内存设置：%1（需要%2）。</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between lighter settings</comment>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>studio::ui::ModelSettingsDialog</name>
    <message>
        <source>&lt;p&gt;Rendering needs the &lt;b&gt;Kolors&lt;/b&gt; weights (about 16 GB), downloaded once from &lt;a href=&quot;https://huggingface.co/Kwai-Kolors/Kolors-diffusers&quot;&gt;Hugging Face Kwai-Kolors/Kolors-diffusers&lt;/a&gt; or &lt;a href=&quot;https://modelscope.cn/models/Kwai-Kolors/Kolors&quot;&gt;ModelScope Kwai-Kolors/Kolors&lt;/a&gt;. The folder must hold:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;tt&gt;model_index.json&lt;/tt&gt; and &lt;tt&gt;scheduler/scheduler_config.json&lt;/tt&gt;&lt;/li&gt;&lt;li&gt;&lt;tt&gt;text_encoder/&lt;/tt&gt;: &lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;tokenizer.model&lt;/tt&gt; and the ChatGLM3 weights (&lt;tt&gt;*.safetensors&lt;/tt&gt; or &lt;tt&gt;pytorch_model-0000N-of-00007.bin&lt;/tt&gt; with their index)&lt;/li&gt;&lt;li&gt;&lt;tt&gt;unet/&lt;/tt&gt; and &lt;tt&gt;vae/&lt;/tt&gt;: &lt;tt&gt;config.json&lt;/tt&gt; and &lt;tt&gt;diffusion_pytorch_model[.fp16].safetensors&lt;/tt&gt;&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;DiffSynth-Studio&apos;s download (&lt;tt&gt;models/kolors/Kolors&lt;/tt&gt;) works too, and so does a Kolors folder inside ComfyUI (&lt;tt&gt;models/diffusers/Kolors&lt;/tt&gt;) or A1111/Forge: choose the installation and the studio finds it. The files are used where they are; nothing is copied. Without a model, everything but rendering works.&lt;/p&gt;</source>
        <translation>&lt;p&gt;生成需要&lt;b&gt;可图（Kolors）&lt;/b&gt;模型权重（约 16 GB），只需下载一次，来源：&lt;a href=&quot;https://huggingface.co/Kwai-Kolors/Kolors-diffusers&quot;&gt;Hugging Face Kwai-Kolors/Kolors-diffusers&lt;/a&gt; 或 &lt;a href=&quot;https://modelscope.cn/models/Kwai-Kolors/Kolors&quot;&gt;魔搭 ModelScope Kwai-Kolors/Kolors&lt;/a&gt;。文件夹中必须包含：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;tt&gt;model_index.json&lt;/tt&gt; 和 &lt;tt&gt;scheduler/scheduler_config.json&lt;/tt&gt;&lt;/li&gt;&lt;li&gt;&lt;tt&gt;text_encoder/&lt;/tt&gt;：&lt;tt&gt;config.json&lt;/tt&gt;、&lt;tt&gt;tokenizer.model&lt;/tt&gt; 以及 ChatGLM3 权重（&lt;tt&gt;*.safetensors&lt;/tt&gt;，或 &lt;tt&gt;pytorch_model-0000N-of-00007.bin&lt;/tt&gt; 及其索引文件）&lt;/li&gt;&lt;li&gt;&lt;tt&gt;unet/&lt;/tt&gt; 和 &lt;tt&gt;vae/&lt;/tt&gt;：&lt;tt&gt;config.json&lt;/tt&gt; 和 &lt;tt&gt;diffusion_pytorch_model[.fp16].safetensors&lt;/tt&gt;&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;DiffSynth-Studio 下载的目录（&lt;tt&gt;models/kolors/Kolors&lt;/tt&gt;）也可以使用，ComfyUI（&lt;tt&gt;models/diffusers/Kolors&lt;/tt&gt;）或 A1111/Forge 中的可图文件夹同样可以：选择安装目录，工作室会自动找到模型。文件在原位置使用，不会复制。没有模型时，除生成外的所有功能都可以使用。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Model Settings</source>
        <translation>模型设置</translation>
    </message>
    <message>
        <source>Kolors model</source>
        <comment>the base model</comment>
        <translation>可图（Kolors）模型</translation>
    </message>
    <message>
        <source>&amp;Model folder</source>
        <translation>模型文件夹(&amp;M)</translation>
    </message>
    <message>
        <source>Kolors folder, or a ComfyUI / A1111 / DiffSynth installation</source>
        <translation>可图模型文件夹，或 ComfyUI / A1111 / DiffSynth 的安装目录</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Device and memory</source>
        <translation>设备与显存</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation>精度(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Release the text encoder before sampling</source>
        <translation>采样前释放文本编码器(&amp;R)</translation>
    </message>
    <message>
        <source>Frees the ChatGLM3 text encoder (about 12 GB in fp16) after the prompts are encoded. Saves GPU memory; each render then loads it again.</source>
        <translation>提示词编码完成后释放 ChatGLM3 文本编码器（fp16 下约 12 GB）。可节省显存，但每次生成都要重新加载它。</translation>
    </message>
    <message>
        <source>&amp;Tiled VAE decoding</source>
        <translation>VAE 分块解码(&amp;T)</translation>
    </message>
    <message>
        <source>Decodes the image in tiles: much less memory for large images, slightly slower.</source>
        <translation>分块解码图像：大图所需显存少得多，速度稍慢。</translation>
    </message>
    <message>
        <source>Aesthetic score (challenge gate)</source>
        <translation>美学评分（比赛门槛）</translation>
    </message>
    <message>
        <source>P&amp;redictor folder</source>
        <translation>评分模型文件夹(&amp;R)</translation>
    </message>
    <message>
        <source>Optional: the aesthetic predictor (CLIP ViT-L/14 + linear head)</source>
        <translation>可选：美学评分模型（CLIP ViT-L/14 + 线性头）</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <comment>minimum mean aesthetic score</comment>
        <translation>阈值(&amp;H)</translation>
    </message>
    <message>
        <source>The challenge rejected stories whose mean aesthetic score was below 6.</source>
        <translation>比赛拒收美学平均分低于 6 的作品。</translation>
    </message>
    <message>
        <source>Automatic (CUDA when available)</source>
        <translation>自动（有 CUDA 时使用 CUDA）</translation>
    </message>
    <message>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA（NVIDIA 显卡）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Automatic (fp16 on CUDA, fp32 on the CPU)</source>
        <translation>自动（CUDA 上用 fp16，CPU 上用 fp32）</translation>
    </message>
    <message>
        <source>fp32 (full precision)</source>
        <translation>fp32（全精度）</translation>
    </message>
    <message>
        <source>fp16 (half precision, CUDA only)</source>
        <translation>fp16（半精度，仅限 CUDA）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>No model folder yet: everything but rendering works.</source>
        <translation>尚未设置模型文件夹：除生成外的所有功能都可以使用。</translation>
    </message>
    <message>
        <source>✗ Not usable: %1</source>
        <extracomment>%1 is the engine&apos;s message naming the missing file</extracomment>
        <translation>✗ 无法使用：%1</translation>
    </message>
    <message>
        <source>DiffSynth layout</source>
        <translation>DiffSynth 目录结构</translation>
    </message>
    <message>
        <source>Kolors-diffusers layout</source>
        <translation>Kolors-diffusers 目录结构</translation>
    </message>
    <message>
        <source>✓ Found a Kolors model (%1) inside: %2</source>
        <extracomment>%1 is the layout name, %2 the folder found inside the chosen one</extracomment>
        <translation>✓ 在其中找到了可图模型（%1）：%2</translation>
    </message>
    <message>
        <source>✓ Kolors model found (%1); it is used where it is.</source>
        <extracomment>%1 is the layout name</extracomment>
        <translation>✓ 找到可图模型（%1），将直接在原位置使用。</translation>
    </message>
    <message>
        <source>No predictor: panels get no aesthetic score. To get one: %1</source>
        <translation>未设置评分模型：分镜不会得到美学评分。获取方法：%1</translation>
    </message>
    <message>
        <source>✓ Aesthetic predictor found.</source>
        <translation>✓ 找到美学评分模型。</translation>
    </message>
    <message>
        <source>Choose the Kolors model folder</source>
        <translation>选择可图（Kolors）模型文件夹</translation>
    </message>
    <message>
        <source>Choose the aesthetic predictor folder</source>
        <translation>选择美学评分模型文件夹</translation>
    </message>
    <message>
        <source>The model folder belongs to this computer and serves every story. The LoRA and its scale belong to the story: set them in the Story tab, they are saved with it.</source>
        <translation>模型文件夹属于这台电脑，供所有故事使用。LoRA 及其强度属于故事：请在“故事”标签页中设置，它们随故事一起保存。</translation>
    </message>
    <message>
        <source>Looking for a Kolors model in “%1”…</source>
        <extracomment>%1 is the folder being looked at</extracomment>
        <translation>正在“%1”中查找 Kolors 模型…</translation>
    </message>
    <message>
        <source>CUDA is not available: no NVIDIA GPU is visible, or this copy of Storyboard Studio was made without GPU support. Rendering runs on the CPU (slow at full size).</source>
        <translation>CUDA 不可用：未检测到 NVIDIA GPU，或此版本的分镜工作室不含 GPU 支持。生成将在 CPU 上进行（全尺寸时较慢）。</translation>
    </message>
    <message>
        <source>Te&amp;xt encoder runs on</source>
        <translation>文本编码器运行于(&amp;X)</translation>
    </message>
    <message>
        <source>ChatGLM3 needs about 12 GB in fp16. On the CPU it leaves the GPU to the UNet (8-12 GB cards) and encodes a prompt in seconds; the image can differ very slightly. Automatic chooses the CPU when the GPU&apos;s free memory is too small.</source>
        <translation>ChatGLM3 在 fp16 下约需 12 GB。放在 CPU 上时，GPU 留给 UNet 使用（适合 8-12 GB 显卡），编码一条提示词只需几秒；图像可能有极细微的差别。“自动”会在 GPU 可用显存不足时选择 CPU。</translation>
    </message>
    <message>
        <source>&amp;UNet on the GPU</source>
        <translation>GPU 上的 UNet(&amp;U)</translation>
    </message>
    <message>
        <source>Block by block keeps the UNet in main memory and moves each block to the GPU only while it runs: for 4-6 GB cards, slower, the same image.</source>
        <translation>“逐块”会把 UNet 保留在内存中，每个模块只在运行时才移到 GPU：适合 4-6 GB 显卡，速度较慢，图像相同。</translation>
    </message>
    <message>
        <source>Automatic (the CPU when GPU memory is short)</source>
        <translation>自动（显存不足时使用 CPU）</translation>
    </message>
    <message>
        <source>GPU (with the UNet)</source>
        <translation>GPU（与 UNet 一起）</translation>
    </message>
    <message>
        <source>CPU (saves GPU memory)</source>
        <translation>CPU（节省显存）</translation>
    </message>
    <message>
        <source>Whole UNet</source>
        <translation>整个 UNet</translation>
    </message>
    <message>
        <source>Block by block (4-6 GB cards, slower)</source>
        <translation>逐块（4-6 GB 显卡，较慢）</translation>
    </message>
    <message>
        <source>Text encoder &amp;weights</source>
        <translation>文本编码器权重(&amp;W)</translation>
    </message>
    <message>
        <source>ChatGLM3&apos;s own int8/int4 quantization, done while loading: about half (int8) or a quarter (int4) of the text encoder&apos;s memory. The prompt is understood very slightly differently, so images change a little; the image parameters record the choice.</source>
        <translation>使用 ChatGLM3 自带的 int8/int4 量化，在加载时完成：文本编码器的内存约减为一半（int8）或四分之一（int4）。提示词的理解会有极细微的差别，因此图像会略有变化；图像参数会记录这一选择。</translation>
    </message>
    <message>
        <source>As stored (16-bit)</source>
        <translation>保持原样（16 位）</translation>
    </message>
    <message>
        <source>int8 (half the memory)</source>
        <translation>int8（内存减半）</translation>
    </message>
    <message>
        <source>int4 (a quarter, 8 GB cards and 16 GB PCs)</source>
        <translation>int4（四分之一，适合 8 GB 显卡和 16 GB 内存的电脑）</translation>
    </message>
    <message>
        <source>Quantized once and kept in %1 (for Kolors about 5.4 GB with int8, 2.7 GB with int4); later loads read it from there. Deleting that folder is safe: it is made again.</source>
        <translation>只在第一次加载时量化，结果保存在 %1（Kolors 的 int8 约 5.4 GB，int4 约 2.7 GB），之后直接从那里读取。删除该文件夹是安全的：需要时会重新生成。</translation>
    </message>
</context>
<context>
    <name>studio::ui::PanelEditor</name>
    <message>
        <source>Panel %1 of %2</source>
        <comment>storyboard panel</comment>
        <extracomment>header of the panel editor; %1 is the panel number, %2 the number of panels (8)</extracomment>
        <translation>分镜 %1 / %2</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Negative: %1</source>
        <extracomment>shown under the effective prompt; %1 is the negative prompt</extracomment>
        <translation>反向：%1</translation>
    </message>
    <message>
        <source>Fixed</source>
        <comment>seed mode: keep the seed</comment>
        <translation>固定</translation>
    </message>
    <message>
        <source>Increment</source>
        <comment>seed mode: seed + 1 on regenerate</comment>
        <translation>递增</translation>
    </message>
    <message>
        <source>Decrement</source>
        <comment>seed mode: seed - 1 on regenerate</comment>
        <translation>递减</translation>
    </message>
    <message>
        <source>Randomize</source>
        <comment>seed mode: new random seed on regenerate</comment>
        <translation>随机</translation>
    </message>
    <message>
        <source>What “Regenerate” does to the seed</source>
        <translation>“重新生成”时种子如何变化</translation>
    </message>
    <message>
        <source>&amp;Prompt</source>
        <translation>提示词(&amp;P)</translation>
    </message>
    <message>
        <source>Describe what this panel shows. Chinese and English both work.</source>
        <translation>描述这一格的画面内容，中文和英文都可以。</translation>
    </message>
    <message>
        <source>&amp;Negative prompt</source>
        <translation>反向提示词(&amp;N)</translation>
    </message>
    <message>
        <source>What this panel should avoid (added to the story&apos;s shared negative prompt)</source>
        <translation>这一格画面中要避免的内容（会与故事的共享反向提示词合并）</translation>
    </message>
    <message>
        <source>S&amp;eed</source>
        <comment>random seed of the image</comment>
        <translation>种子(&amp;E)</translation>
    </message>
    <message>
        <source>Random</source>
        <comment>button: pick a random seed</comment>
        <translation>随机</translation>
    </message>
    <message>
        <source>Pick a random seed</source>
        <translation>随机选取一个种子</translation>
    </message>
    <message>
        <source>Seed &amp;mode</source>
        <comment>what regenerate does to the seed</comment>
        <translation>种子模式(&amp;M)</translation>
    </message>
    <message>
        <source>S&amp;teps</source>
        <comment>sampling steps</comment>
        <translation>步数(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;CFG scale</source>
        <translation>CFG 强度(&amp;C)</translation>
    </message>
    <message>
        <source>How strictly the image follows the prompt (classifier-free guidance)</source>
        <translation>图像遵循提示词的严格程度（无分类器引导）</translation>
    </message>
    <message>
        <source>S&amp;ampler</source>
        <translation>采样器(&amp;A)</translation>
    </message>
    <message>
        <source>Si&amp;ze</source>
        <comment>image width x height</comment>
        <translation>尺寸(&amp;Z)</translation>
    </message>
    <message>
        <source> px</source>
        <comment>pixels</comment>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Width in pixels</source>
        <translation>宽度（像素）</translation>
    </message>
    <message>
        <source>Height in pixels</source>
        <translation>高度（像素）</translation>
    </message>
    <message>
        <source>Prompt sent to the model (with the story&apos;s style words):</source>
        <translation>发送给模型的提示词（含故事的风格词）：</translation>
    </message>
    <message>
        <source>Images of this panel</source>
        <comment>rendered variants</comment>
        <translation>这一格的图像</translation>
    </message>
    <message>
        <source>No image yet</source>
        <comment>panel preview</comment>
        <translation>还没有图像</translation>
    </message>
    <message>
        <source>The prompt with the story&apos;s style words is longer than Kolors reads (%1 tokens): its end is cut off.</source>
        <translation>加上故事风格词后的提示词超过了可图能读取的长度（%1 个词元），结尾部分会被截掉。</translation>
    </message>
    <message>
        <source>Tokens of the prompt with the story&apos;s style words, out of the %1 Kolors reads (2 of them start every prompt).</source>
        <translation>加上故事风格词后的提示词词元数，可图最多读取 %1 个（每个提示词开头固定占 2 个）。</translation>
    </message>
    <message>
        <source>Capt&amp;ion</source>
        <comment>narration or dialogue printed under the panel in the comic</comment>
        <translation>说明文字(&amp;I)</translation>
    </message>
    <message>
        <source>Narration or dialogue shown under the panel in the comic (not sent to the model)</source>
        <translation>漫画中显示在画格下方的旁白或对白（不发送给模型）</translation>
    </message>
</context>
<context>
    <name>studio::ui::PanelThumbnail</name>
    <message>
        <source>No prompt yet</source>
        <translation>尚无提示词</translation>
    </message>
    <message>
        <source>Panel %1: %2</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number 1..8, %2 its state (&quot;Empty&quot;, &quot;Rendering&quot;, ...)</extracomment>
        <translation>分镜 %1：%2</translation>
    </message>
</context>
<context>
    <name>studio::ui::RefineActions</name>
    <message>
        <source>Re&amp;fine Panel…</source>
        <comment>img2img</comment>
        <translation>细化本格(&amp;F)…</translation>
    </message>
    <message>
        <source>Render the panel again starting from one of its images, a file or a pasted image (img2img)</source>
        <translation>以本格的某张图片、文件或粘贴的图片为起点重新渲染本格（图生图）</translation>
    </message>
    <message>
        <source>Render &amp;Variants…</source>
        <translation>渲染多个变体(&amp;V)…</translation>
    </message>
    <message>
        <source>Render several images of the panel at once with seeds seed, seed+1, … to pick from</source>
        <translation>一次用种子 seed、seed+1、… 渲染本格的多张图片以供挑选</translation>
    </message>
    <message>
        <source>Render Variants</source>
        <translation>渲染多个变体</translation>
    </message>
    <message>
        <source>How many images of panel %1 (seeds %2, %2+1, …)?</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number, %2 its seed</extracomment>
        <translation>第 %1 格渲染几张图片（种子 %2、%2+1、…）？</translation>
    </message>
</context>
<context>
    <name>studio::ui::RefineDialog</name>
    <message>
        <source>Refine panel %1</source>
        <comment>storyboard panel</comment>
        <extracomment>window title; %1 is the panel number 1..8</extracomment>
        <translation>细化第 %1 格</translation>
    </message>
    <message>
        <source>Choose, drop or paste an image</source>
        <translation>选择、拖入或粘贴一张图片</translation>
    </message>
    <message>
        <source>The result appears here</source>
        <translation>结果显示在这里</translation>
    </message>
    <message>
        <source>Start from</source>
        <comment>img2img init image</comment>
        <translation>起始图</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>&amp;File…</source>
        <translation>文件(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Use the image on the clipboard (Ctrl+V)</source>
        <translation>使用剪贴板中的图片（Ctrl+V）</translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <comment>img2img source</comment>
        <translation>图片(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Denoising strength:</source>
        <translation>重绘幅度(&amp;D)：</translation>
    </message>
    <message>
        <source>How much the image may change: 0 keeps it, 1 paints it anew from noise.</source>
        <translation>图片可以改变的程度：0 保持原样，1 从噪声完全重画。</translation>
    </message>
    <message>
        <source>&amp;Refine</source>
        <translation>细化(&amp;R)</translation>
    </message>
    <message>
        <source>Image to start from</source>
        <translation>起始图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>“%1” is not a PNG or JPEG image that can be read.</source>
        <translation>“%1”不是可读取的 PNG 或 JPEG 图片。</translation>
    </message>
    <message>
        <source>Queued. The result is added to the panel&apos;s images.</source>
        <translation>已加入队列。结果会添加到本格的图片中。</translation>
    </message>
    <message>
        <source>Done: the result is now the panel&apos;s chosen image.</source>
        <translation>完成：结果已成为本格选用的图片。</translation>
    </message>
    <message>
        <source>Image %1 (seed %2)</source>
        <extracomment>an image of the panel to refine; %1 its number, %2 its seed</extracomment>
        <translation>图片 %1（种子 %2）</translation>
    </message>
    <message>
        <source> — chosen</source>
        <extracomment>marks the panel&apos;s chosen image in a list</extracomment>
        <translation> — 已选用</translation>
    </message>
    <message>
        <source>Other image (file, drop or paste)</source>
        <translation>其他图片（文件、拖入或粘贴）</translation>
    </message>
    <message>
        <source>Image %1 of this panel cannot be read.</source>
        <translation>无法读取本格的图片 %1。</translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>剪贴板中没有图片。</translation>
    </message>
    <message>
        <source>No step would run: raise the strength (or the panel&apos;s steps).</source>
        <extracomment>%1 steps of the panel&apos;s %2 steps run in img2img</extracomment>
        <translation>不会运行任何步：请提高重绘幅度（或本格的步数）。</translation>
    </message>
    <message>
        <source>%1 of the panel&apos;s %2 steps will run.</source>
        <translation>将运行本格 %2 步中的 %1 步。</translation>
    </message>
    <message>
        <source>Save the story first: rendered images are stored in the story&apos;s folder.</source>
        <translation>请先保存故事：生成的图像保存在故事所在的文件夹中。</translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation>无法读取“%1”：%2</translation>
    </message>
    <message>
        <source>The folder “%1” cannot be created.</source>
        <translation>无法创建文件夹“%1”。</translation>
    </message>
    <message>
        <source>“%1” cannot be written: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>Choose the image to start from first.</source>
        <translation>请先选择起始图片。</translation>
    </message>
</context>
<context>
    <name>studio::ui::RenderQueue</name>
    <message>
        <source>No Kolors model folder is set, so rendering cannot start. Choose the folder in Settings ▸ Model…; that dialog also lists the files needed and where to get them.</source>
        <translation>尚未设置可图（Kolors）模型文件夹，无法开始生成。请在“设置 ▸ 模型…”中选择文件夹；该对话框也列出了所需文件及下载位置。</translation>
    </message>
    <message>
        <source>The Kolors model folder “%1” cannot be used: %2

Choose another folder in Settings ▸ Model….</source>
        <translation>无法使用可图模型文件夹“%1”：%2

请在“设置 ▸ 模型…”中选择其他文件夹。</translation>
    </message>
    <message>
        <source>Save the story first: rendered images are stored in the story&apos;s folder.</source>
        <translation>请先保存故事：生成的图像保存在故事所在的文件夹中。</translation>
    </message>
    <message>
        <source>No panel to render: every panel with a prompt is already queued, or no panel has a prompt.</source>
        <translation>没有可生成的分镜：有提示词的分镜都已在队列中，或者没有任何分镜有提示词。</translation>
    </message>
    <message>
        <source>There is no panel %1.</source>
        <translation>没有分镜 %1。</translation>
    </message>
    <message>
        <source>Panel %1 has no prompt yet.</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 还没有提示词。</translation>
    </message>
    <message>
        <source>Panel %1 is already in the queue.</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 已在队列中。</translation>
    </message>
    <message>
        <source>Stopping panel %1…</source>
        <comment>storyboard panel</comment>
        <translation>正在停止分镜 %1…</translation>
    </message>
    <message>
        <source>The queue was cleared; panel %1 finishes first.</source>
        <comment>storyboard panel</comment>
        <translation>队列已清空；分镜 %1 会先生成完。</translation>
    </message>
    <message>
        <source>Loading the Kolors model from “%1”…</source>
        <translation>正在从“%1”加载可图模型…</translation>
    </message>
    <message>
        <source>Panel %1 ran out of memory. Trying once more with tiled VAE decoding, which stays on until the studio restarts (turn on “Tiled VAE decoding” in Settings ▸ Model to keep it).</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 显存不足。正在改用 VAE 分块解码再试一次，分块解码会保持开启直到重启工作室（如需一直开启，请在“设置 ▸ 模型”中打开“VAE 分块解码”）。</translation>
    </message>
    <message>
        <source>No aesthetic score: %1</source>
        <translation>没有美学评分：%1</translation>
    </message>
    <message>
        <source>Regenerate panel %1</source>
        <comment>storyboard panel</comment>
        <extracomment>undo text; %1 is the panel number 1..8</extracomment>
        <translation>重新生成分镜 %1</translation>
    </message>
    <message>
        <source>Panel %1 was cancelled.</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 已取消。</translation>
    </message>
    <message>
        <source>Rendering is not available: this build of Storyboard Studio has no engine.</source>
        <translation>无法生成：此版本的分镜工作室没有生成引擎。</translation>
    </message>
    <message>
        <source>No Kolors model folder is set. Choose one in Settings ▸ Model….</source>
        <translation>尚未设置可图模型文件夹。请在“设置 ▸ 模型…”中选择。</translation>
    </message>
    <message>
        <source>The Kolors model folder is incomplete: %1

Choose a complete folder in Settings ▸ Model….</source>
        <translation>可图模型文件夹不完整：%1

请在“设置 ▸ 模型…”中选择完整的文件夹。</translation>
    </message>
    <message>
        <source>A file of the Kolors model is damaged or is not a Kolors file: %1

Download it again or choose another folder in Settings ▸ Model….</source>
        <translation>可图模型的某个文件已损坏或不是可图的文件：%1

请重新下载，或在“设置 ▸ 模型…”中选择其他文件夹。</translation>
    </message>
    <message>
        <source>Panel %1 cannot be rendered with its settings: %2</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 无法按当前参数生成：%2</translation>
    </message>
    <message>
        <source>The image of panel %1 could not be saved: %2</source>
        <comment>storyboard panel</comment>
        <translation>无法保存分镜 %1 的图像：%2</translation>
    </message>
    <message>
        <source>The chosen device cannot be used: %1

Choose “Automatic” or “CPU” in Settings ▸ Model….</source>
        <translation>无法使用所选设备：%1

请在“设置 ▸ 模型…”中选择“自动”或“CPU”。</translation>
    </message>
    <message>
        <source>Panel %1 failed: %2</source>
        <comment>storyboard panel</comment>
        <translation>分镜 %1 生成失败：%2</translation>
    </message>
    <message>
        <source>The story&apos;s LoRA cannot be used: %1

Choose another LoRA file (or none) in the story settings.</source>
        <translation>无法使用本故事的 LoRA：%1

请在故事设置中选择另一个 LoRA 文件（或不使用 LoRA）。</translation>
    </message>
    <message>
        <source>Choose between 1 and %1 variants.</source>
        <translation>请选择 1 到 %1 个变体。</translation>
    </message>
    <message>
        <source>Rendering is not available: this build of Storyboard Studio has no rendering engine. Everything else works.</source>
        <translation>无法生成：此版本的分镜工作室没有生成引擎。其他功能都可以正常使用。</translation>
    </message>
    <message>
        <source>The story render was cancelled.</source>
        <translation>故事生成已取消。</translation>
    </message>
    <message>
        <source>Panel %1 does not fit into memory. In Settings ▸ Model choose int8 or int4 text encoder weights, run the text encoder on the CPU, turn on “Release the text encoder before sampling” and “Tiled VAE decoding”, or choose a smaller image size; the estimate there shows what the choices need.

(%2)</source>
        <comment>storyboard panel</comment>
        <translation>第 %1 格内存不足。请在“设置 ▸ 模型”中将文本编码器权重改为 int8 或 int4、让文本编码器在 CPU 上运行、打开“采样前释放文本编码器”和“VAE 分块解码”，或选择更小的图像尺寸；那里的估算会显示这些选择需要多少内存。

（%2）</translation>
    </message>
</context>
<context>
    <name>studio::ui::StoryDocument</name>
    <message>
        <source>Untitled</source>
        <comment>name of a story that was never saved</comment>
        <translation>未命名</translation>
    </message>
    <message>
        <source>The story has no file name yet.</source>
        <translation>故事还没有文件名。</translation>
    </message>
    <message>
        <source>Cannot copy “%1” into the new folder: %2</source>
        <translation>无法将“%1”复制到新文件夹：%2</translation>
    </message>
    <message>
        <source>Cannot copy “%1” to “%2”.</source>
        <translation>无法将“%1”复制到“%2”。</translation>
    </message>
    <message>
        <source>There is no panel %1.</source>
        <comment>storyboard panel</comment>
        <translation>没有分镜 %1。</translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation>无法读取“%1”：%2</translation>
    </message>
    <message>
        <source>“%1” carries no generation settings (no A1111 “parameters” text and no Storyboard Studio metadata).</source>
        <translation>“%1”中没有生成参数（既没有 A1111 的“parameters”文本，也没有分镜工作室的元数据）。</translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation>“%1”：%2</translation>
    </message>
    <message>
        <source>Restore panel %1 from an image</source>
        <comment>storyboard panel</comment>
        <extracomment>undo text; %1 is the panel number 1..8</extracomment>
        <translation>从图像恢复分镜 %1 的参数</translation>
    </message>
</context>
<context>
    <name>studio::ui::StorySettingsWidget</name>
    <message>
        <source>Choose a LoRA file</source>
        <translation>选择 LoRA 文件</translation>
    </message>
    <message>
        <source>LoRA weights (*.safetensors *.ckpt *.pt *.bin);;All files (*)</source>
        <translation>LoRA 权重 (*.safetensors *.ckpt *.pt *.bin);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <comment>title of the story</comment>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <source>Name of the story</source>
        <translation>故事的名称</translation>
    </message>
    <message>
        <source>T&amp;eam</source>
        <comment>challenge team name</comment>
        <translation>团队(&amp;E)</translation>
    </message>
    <message>
        <source>Team name used in the model name of the export</source>
        <translation>导出时用于模型名称的团队名</translation>
    </message>
    <message>
        <source>Style</source>
        <comment>visual style shared by all panels</comment>
        <translation>风格</translation>
    </message>
    <message>
        <source>Words &amp;before</source>
        <comment>style words put before every prompt</comment>
        <translation>前置词(&amp;B)</translation>
    </message>
    <message>
        <source>Put before every panel prompt, e.g. the style or trigger words</source>
        <translation>加在每一格提示词之前，例如风格词或触发词</translation>
    </message>
    <message>
        <source>Words &amp;after</source>
        <comment>style words put after every prompt</comment>
        <translation>后置词(&amp;A)</translation>
    </message>
    <message>
        <source>Put after every panel prompt, e.g. quality words</source>
        <translation>加在每一格提示词之后，例如画质词</translation>
    </message>
    <message>
        <source>Shared &amp;negative</source>
        <comment>negative prompt shared by all panels</comment>
        <translation>共享反向词(&amp;N)</translation>
    </message>
    <message>
        <source>Negative prompt added to every panel</source>
        <translation>添加到每一格的反向提示词</translation>
    </message>
    <message>
        <source>&amp;LoRA file</source>
        <translation>LoRA 文件(&amp;L)</translation>
    </message>
    <message>
        <source>Optional .safetensors or .ckpt LoRA</source>
        <translation>可选的 .safetensors 或 .ckpt LoRA 文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>LoRA &amp;scale</source>
        <comment>strength multiplier of the LoRA</comment>
        <translation>LoRA 强度(&amp;S)</translation>
    </message>
    <message>
        <source>LoRA</source>
        <comment>the story&apos;s LoRA</comment>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>The LoRA and its scale belong to the story and are saved with it. The Kolors model folder belongs to this computer: choose it in Settings ▸ Model….</source>
        <translation>LoRA 及其强度属于故事，随故事一起保存。Kolors 模型文件夹属于这台电脑：请在“设置 ▸ 模型…”中选择。</translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingDataPanel</name>
    <message>
        <source>Training images</source>
        <translation>训练图片</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>图片文件夹…</translation>
    </message>
    <message>
        <source>Data-Juicer config or jsonl…</source>
        <translation>Data-Juicer 配置或 jsonl…</translation>
    </message>
    <message>
        <source>Filters (image folder and jsonl; a Data-Juicer config brings its own)</source>
        <translation>过滤条件（用于图片文件夹和 jsonl；Data-Juicer 配置自带过滤条件）</translation>
    </message>
    <message>
        <source>Minimum width × height</source>
        <translation>最小宽 × 高</translation>
    </message>
    <message>
        <source>Aspect ratio (w / h)</source>
        <translation>宽高比（宽 / 高）</translation>
    </message>
    <message>
        <source>Remove exact duplicates</source>
        <translation>去除完全相同的重复图片</translation>
    </message>
    <message>
        <source>Apply filters</source>
        <translation>应用过滤</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Kept / refused</source>
        <translation>保留 / 剔除</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>描述文本</translation>
    </message>
    <message>
        <source>One caption for all:</source>
        <translation>统一描述文本：</translation>
    </message>
    <message>
        <source>e.g. 二次元 (the baseline&apos;s caption)</source>
        <translation>例如：二次元（baseline 的描述文本）</translation>
    </message>
    <message>
        <source>Apply to all</source>
        <translation>应用到全部</translation>
    </message>
    <message>
        <source>Choose a folder of images (captions from metadata.csv or .txt files beside them), or a Data-Juicer config / metadata.jsonl.</source>
        <translation>请选择图片文件夹（描述文本取自同目录的 metadata.csv 或 .txt 文件），或 Data-Juicer 配置 / metadata.jsonl。</translation>
    </message>
    <message>
        <source>Folder of training images</source>
        <translation>训练图片文件夹</translation>
    </message>
    <message>
        <source>Data-Juicer config or metadata.jsonl</source>
        <translation>Data-Juicer 配置或 metadata.jsonl</translation>
    </message>
    <message>
        <source>Data-Juicer files (*.yaml *.yml *.jsonl)</source>
        <translation>Data-Juicer 文件 (*.yaml *.yml *.jsonl)</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>正在读取 %1 …</translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>Not loaded: %1</source>
        <translation>未能加载：%1</translation>
    </message>
    <message>
        <source>Captions from %1.</source>
        <translation>描述文本来自 %1。</translation>
    </message>
    <message>
        <source>Captions from the .txt files beside the images.</source>
        <translation>描述文本来自图片旁的 .txt 文件。</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>剔除：%1</translation>
    </message>
    <message>
        <source>%1 of %2 images kept</source>
        <translation>%2 张图片中保留 %1 张</translation>
    </message>
    <message>
        <source>%1 kept image(s) have no caption yet</source>
        <translation>%1 张保留的图片还没有描述文本</translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingPage</name>
    <message>
        <source>The story now renders with %1.</source>
        <translation>本故事现在使用 %1 生成。</translation>
    </message>
    <message>
        <source>Train LoRA</source>
        <translation>训练 LoRA</translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation>训练设置</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样图</translation>
    </message>
    <message>
        <source>Use as the story&apos;s LoRA</source>
        <translation>设为本故事的 LoRA</translation>
    </message>
    <message>
        <source>Choose the training images, then start.</source>
        <translation>请先选择训练图片，然后开始训练。</translation>
    </message>
    <message>
        <source>This build of the studio has no engine: it cannot train.</source>
        <translation>此版本的分镜工作室没有引擎，无法训练。</translation>
    </message>
    <message>
        <source>A training is already running.</source>
        <translation>已有训练正在进行。</translation>
    </message>
    <message>
        <source>The images are still being read.</source>
        <translation>仍在读取图片。</translation>
    </message>
    <message>
        <source>Choose the Kolors model folder first (Settings → Model).</source>
        <translation>请先选择可图模型文件夹（设置 → 模型）。</translation>
    </message>
    <message>
        <source>The learning rate must be a positive number, such as 1e-4.</source>
        <translation>学习率必须是正数，例如 1e-4。</translation>
    </message>
    <message>
        <source>No kept image with a caption: choose training images and give them captions.</source>
        <translation>没有带描述文本的保留图片：请选择训练图片并填写描述文本。</translation>
    </message>
    <message>
        <source>There is no stopped run to resume (%1 does not exist).</source>
        <translation>没有可继续的已停止训练（%1 不存在）。</translation>
    </message>
    <message>
        <source>Waiting for the render queue: training starts when the panels being rendered are done.</source>
        <translation>正在等待生成队列：正在生成的分镜完成后开始训练。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>未开始。</translation>
    </message>
    <message>
        <source>Stopping after this step (a checkpoint is written to resume from)…</source>
        <translation>将在本步后停止（会写入检查点以便继续训练）…</translation>
    </message>
    <message>
        <source>A LoRA is being trained on the Train LoRA page: renders can start when it is done or stopped.</source>
        <translation>“训练 LoRA”页面正在训练 LoRA：训练完成或停止后才能生成。</translation>
    </message>
    <message>
        <source>Stage: %1</source>
        <translation>阶段：%1</translation>
    </message>
    <message>
        <source>Step %1 of %2 · loss %3 (smoothed %4) · %5 it/s · %6 s left</source>
        <translation>第 %1/%2 步 · 损失 %3（平滑 %4）· %5 步/秒 · 剩余 %6 秒</translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>Checkpoint of step %1 written: %2</source>
        <translation>已写入第 %1 步的检查点：%2</translation>
    </message>
    <message>
        <source>Stopped after %1 steps; resume continues from there. LoRA so far: %2</source>
        <translation>已在第 %1 步后停止；继续训练将从此处开始。当前 LoRA：%2</translation>
    </message>
    <message>
        <source>Done: %1 steps, smoothed loss %2, %3 s per step. LoRA: %4</source>
        <translation>完成：%1 步，平滑损失 %2，每步 %3 秒。LoRA：%4</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>No trained LoRA yet.</source>
        <translation>还没有训练好的 LoRA。</translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingSettingsForm</name>
    <message>
        <source>Rank</source>
        <translation>秩（Rank）</translation>
    </message>
    <message>
        <source>Alpha (α)</source>
        <translation>Alpha（α）</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Save every N steps</source>
        <translation>每 N 步保存</translation>
    </message>
    <message>
        <source>Sample every N steps</source>
        <translation>每 N 步出样图</translation>
    </message>
    <message>
        <source>Sample prompt</source>
        <translation>样图提示词</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Automatic (fp16 on CUDA, fp32 on the CPU)</source>
        <translation>自动（CUDA 上用 fp16，CPU 上用 fp32）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>e.g. 二次元，一个紫色长发小女孩</source>
        <translation>例如：二次元，一个紫色长发小女孩</translation>
    </message>
    <message>
        <source>LoRA rank: more capacity, a larger file</source>
        <translation>LoRA 的秩：越大容量越大，文件也越大</translation>
    </message>
    <message>
        <source>The LoRA&apos;s scale is α / rank</source>
        <translation>LoRA 的缩放系数为 α / 秩</translation>
    </message>
    <message>
        <source>Write the LoRA so far and a state to resume from every N steps (0: never)</source>
        <translation>每 N 步写入当前 LoRA 和可继续训练的状态（0：从不）</translation>
    </message>
    <message>
        <source>Render the sample prompt with the LoRA so far every N steps (0: never)</source>
        <translation>每 N 步用当前 LoRA 生成样图提示词的图片（0：从不）</translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingWorker</name>
    <message>
        <source>This build of the studio has no engine: it cannot train.</source>
        <translation>此版本的分镜工作室没有引擎，无法训练。</translation>
    </message>
    <message>
        <source>Out of memory: lower the resolution or the rank, or choose fp16/bf16 on CUDA.</source>
        <translation>内存不足：请降低分辨率或秩，或在 CUDA 上选择 fp16/bf16。</translation>
    </message>
    <message>
        <source>The Kolors model folder is incomplete or not a Kolors model.</source>
        <translation>可图模型文件夹不完整，或不是可图模型。</translation>
    </message>
    <message>
        <source>A file could not be read or written.</source>
        <translation>有文件无法读取或写入。</translation>
    </message>
    <message>
        <source>These settings cannot be used.</source>
        <translation>无法使用这些设置。</translation>
    </message>
    <message>
        <source>The engine stopped with an error.</source>
        <translation>引擎出错停止。</translation>
    </message>
</context>
<context>
    <name>studio::ui::VariantStrip</name>
    <message>
        <source>seed %1</source>
        <comment>random seed</comment>
        <extracomment>label under a thumbnail of one rendered image; %1 is its seed</extracomment>
        <translation>种子 %1</translation>
    </message>
    <message>
        <source>No images yet. Every render of this panel will be kept here.</source>
        <translation>还没有图像。这一格每次生成的图像都会保留在这里。</translation>
    </message>
    <message>
        <source>score %1</source>
        <comment>aesthetic score</comment>
        <extracomment>second line under a rendered image; %1 is its aesthetic score, e.g. 6.12</extracomment>
        <translation>评分 %1</translation>
    </message>
    <message>
        <source>img2img %1</source>
        <extracomment>short label of an img2img image; %1 is the denoising strength</extracomment>
        <translation>图生图 %1</translation>
    </message>
    <message>
        <source>Refined from %1 (SHA-256 %2…) at strength %3, %4 steps</source>
        <extracomment>%1 the start image&apos;s file, %2 the start of its SHA-256, %3 the strength, %4 the steps that ran</extracomment>
        <translation>由 %1（SHA-256 %2…）细化，重绘幅度 %3，%4 步</translation>
    </message>
    <message>
        <source>hires ×%1</source>
        <extracomment>short label of a hires-fix image; %1 is the scale</extracomment>
        <translation>高清 ×%1</translation>
    </message>
    <message>
        <source>Hires fix ×%1 to %2×%3 px, strength %4, %5 steps (upscaler: Latent)</source>
        <extracomment>%1 scale, %2 x %3 the image size, %4 strength, %5 steps of the second pass</extracomment>
        <translation>高清修复 ×%1 至 %2×%3 像素，重绘幅度 %4，%5 步（放大器：Latent）</translation>
    </message>
    <message>
        <source>Variant %1 of a batch</source>
        <extracomment>%1 is the place of the image in one &quot;Render variants&quot; batch, counted from 1</extracomment>
        <translation>批次中的第 %1 张</translation>
    </message>
</context>
</TS>
