<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>Export Story to Folder</source>
        <translation>将故事导出到文件夹</translation>
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
        <source>Choose the Kolors model folder</source>
        <translation>选择可图（Kolors）模型文件夹</translation>
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
        <source>Model</source>
        <comment>the Kolors model and LoRA</comment>
        <translation>模型</translation>
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
        <source>&amp;Model folder</source>
        <comment>Kolors model folder</comment>
        <translation>模型文件夹(&amp;M)</translation>
    </message>
    <message>
        <source>Folder with the Kolors weights</source>
        <translation>存放可图（Kolors）权重的文件夹</translation>
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
</context>
</TS>
