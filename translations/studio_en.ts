<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>PanelState</name>
    <message>
        <source>Empty</source>
        <comment>panel has no image yet</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <comment>panel has a chosen image</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <comment>panel waits in the render queue</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rendering</source>
        <comment>panel is being rendered now</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <comment>panel finished rendering</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <comment>panel render failed</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <comment>panel render was cancelled</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UndoCommand</name>
    <message>
        <source>Render panel %1</source>
        <extracomment>%1 is the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose image of panel %1</source>
        <extracomment>%1 is the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit %1 of panel %2</source>
        <extracomment>%1 is a field name such as &quot;prompt&quot;, %2 the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seed</source>
        <comment>random seed of the image</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seed mode</source>
        <comment>what regenerate does to the seed</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps</source>
        <comment>sampling steps</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CFG scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sampler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>height</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit story %1</source>
        <extracomment>%1 is a story setting such as &quot;title&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>team name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>style prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>style suffix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shared negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>model folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::AutosaveManager</name>
    <message>
        <source>Cannot read the autosave “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The autosave “%1” is damaged.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::MainWindow</name>
    <message>
        <source>Autosave failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new 8-panel story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a story file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the story under a new name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the grid, the panels and the LoRA card into a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Storyboard Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] — Storyboard Studio</source>
        <extracomment>window title: %1 is the story title or file name, [*] marks unsaved changes (keep it)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo: %1</source>
        <extracomment>%1 describes the edit, e.g. &quot;Edit prompt of panel 3&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo: %1</source>
        <extracomment>%1 describes the edit, e.g. &quot;Edit prompt of panel 3&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent stories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has unsaved changes. Do you want to save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Story files (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Open Story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” could not be opened.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover Unsaved Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are unsaved changes to “%1” from %2 that were kept by autosave (the studio did not close normally). Recover them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Recover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovered unsaved changes; save to keep them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Save Story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Story As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Story files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Story to Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder “%1” is not empty. Files of an earlier export in it will be replaced. Export anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The story was exported to “%1”. Please note:

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an untitled story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover Unsaved Work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The studio did not close normally. Unsaved changes to %1 from %2 were kept by autosave. Recover them?

If you choose No, they are deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Storyboard Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storyboard Studio %1

Write, render and export 8-panel Kolors story comics.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::PanelEditor</name>
    <message>
        <source>Panel %1 of %2</source>
        <comment>storyboard panel</comment>
        <extracomment>header of the panel editor; %1 is the panel number, %2 the number of panels (8)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative: %1</source>
        <extracomment>shown under the effective prompt; %1 is the negative prompt</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed</source>
        <comment>seed mode: keep the seed</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Increment</source>
        <comment>seed mode: seed + 1 on regenerate</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decrement</source>
        <comment>seed mode: seed - 1 on regenerate</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Randomize</source>
        <comment>seed mode: new random seed on regenerate</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What “Regenerate” does to the seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Describe what this panel shows. Chinese and English both work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What this panel should avoid (added to the story&apos;s shared negative prompt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;eed</source>
        <comment>random seed of the image</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <comment>button: pick a random seed</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a random seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed &amp;mode</source>
        <comment>what regenerate does to the seed</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;teps</source>
        <comment>sampling steps</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CFG scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How strictly the image follows the prompt (classifier-free guidance)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ampler</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Si&amp;ze</source>
        <comment>image width x height</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <comment>pixels</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width in pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Height in pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt sent to the model (with the story&apos;s style words):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images of this panel</source>
        <comment>rendered variants</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No image yet</source>
        <comment>panel preview</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::PanelThumbnail</name>
    <message>
        <source>No prompt yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1: %2</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number 1..8, %2 its state (&quot;Empty&quot;, &quot;Rendering&quot;, ...)</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::StoryDocument</name>
    <message>
        <source>Untitled</source>
        <comment>name of a story that was never saved</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The story has no file name yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot copy “%1” into the new folder: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot copy “%1” to “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::StorySettingsWidget</name>
    <message>
        <source>Choose a LoRA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA weights (*.safetensors *.ckpt *.pt *.bin);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Kolors model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <comment>title of the story</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of the story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;eam</source>
        <comment>challenge team name</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team name used in the model name of the export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Style</source>
        <comment>visual style shared by all panels</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words &amp;before</source>
        <comment>style words put before every prompt</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put before every panel prompt, e.g. the style or trigger words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Words &amp;after</source>
        <comment>style words put after every prompt</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put after every panel prompt, e.g. quality words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared &amp;negative</source>
        <comment>negative prompt shared by all panels</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Negative prompt added to every panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <comment>the Kolors model and LoRA</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;LoRA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional .safetensors or .ckpt LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA &amp;scale</source>
        <comment>strength multiplier of the LoRA</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model folder</source>
        <comment>Kolors model folder</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder with the Kolors weights</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::VariantStrip</name>
    <message>
        <source>seed %1</source>
        <comment>random seed</comment>
        <extracomment>label under a thumbnail of one rendered image; %1 is its seed</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No images yet. Every render of this panel will be kept here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
