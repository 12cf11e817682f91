<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CharacterRenderSupport</name>
    <message>
        <source>The story&apos;s reference image cannot be used: %1

Change it in the Character tab, or set the IP-Adapter files in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consistent characters cannot render this story: %1

Fix it in the Character tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No panel to render: no panel asked for has a prompt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consistent characters: identity panels %1 run again first (their images stay as they are).</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 lists panel numbers (&quot;1, 2&quot;); their images are kept</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity panels %1 changed since their images were made: they get new images too.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consistent characters: identity panels %1 render first, then the others.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panels %1 render with panel 1&apos;s steps, CFG, sampler, size and negative prompt and seed + panel number (the story renders as one).</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineSupport</name>
    <message>
        <source>No Kolors model folder is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder “%1” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This build of Storyboard Studio has no rendering engine; install a build that renders to make images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a file of the model is missing (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the missing file</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a file cannot be read (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the file</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a file is damaged or not a Kolors file (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the file</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this model uses something Storyboard Studio cannot run (%1)</source>
        <extracomment>%1 is the engine&apos;s detail, naming the file and what it asks for</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is not enough memory to read the model (%1)</source>
        <extracomment>%1 is the engine&apos;s detail</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the folder cannot be used (%1)</source>
        <extracomment>%1 is the engine&apos;s detail</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>download %1 (Hugging Face; ModelScope %2): config.json, preprocessor_config.json and pytorch_model.bin into one folder</source>
        <extracomment>%1 and %2 are the predictor&apos;s repository names on Hugging Face and ModelScope</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
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
    <name>TrainingDataSet</name>
    <message>
        <source>file not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image data ends early</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image data is corrupt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many pixels (decompression bomb)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an image kind that cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the text is empty (null)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is %3, outside the bounds %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the same image as sample %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aesthetic score %1 of %2 is below %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 holds no PNG, JPEG, WebP or BMP image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(sample %1 without image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No kept image has a caption: nothing to train on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No image could be copied into %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exact-duplicate removal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image folder %1 cannot be used (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Data-Juicer config %1 is refused (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data set %1 cannot be read (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The training folder %1 cannot be written (%2).</source>
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
    <message>
        <source>caption</source>
        <comment>narration or dialogue under a comic panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render %1 variants of panel %2</source>
        <extracomment>%1 is the number of images, %2 the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hires fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hires scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hires strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hires steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit character settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::bridge::GenerationParameters</name>
    <message>
        <source>%1: cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::CharacterReference</name>
    <message>
        <source>the story is not saved yet, so it has no folder for its reference image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reference image file is chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no panel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>panel %1 has no chosen image yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: file is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: unreadable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the story&apos;s reference image needs the IP-Adapter file and its image encoder folder (Kwai-Kolors/Kolors-IP-Adapter-Plus: ip_adapter_plus_general.bin and image_encoder/)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP-Adapter file %1: no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image encoder folder %1: no such folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>save the story first: the reference image is copied into its folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a readable file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2: cannot create the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be stored in the project: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot copy %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many reference images named &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::CharacterSettings</name>
    <message>
        <source>identityPanels: %1 identity panels, a story of %2 panels allows 1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>strength: %1 is outside [0, 1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>start: step %1 is outside [0, %2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ipScale: %1 is outside [0, %2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>referencePanel: there is no panel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>referenceFile: the reference is a file, but no file is named</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>referenceFile: refusing &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown reference &quot;%1&quot; (expected none, file or panel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refusing reference image path &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reference is a file, but no file is named</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::CharacterUse</name>
    <message>
        <source>made with the reference image &quot;%1&quot; (SHA-256 %2): choose it in the Character section to make the image again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::ComicExporter</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a symbolic link; refusing to write through it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists and is not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2 px wide instead of %3 px, to stay under %4 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2 MB, more than phones load quickly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no comic format given (expected a list such as pdf,cbz,strip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot start the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot add a page</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::ComicOptions</name>
    <message>
        <source>unknown comic format &quot;%1&quot; (expected pdf, cbz or strip)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::ImageIo</name>
    <message>
        <source>the image is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image is too large (%1x%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported sample type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported number of channels (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file is too large (%1 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a PNG or JPEG image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged JPEG: the file is truncated (no end-of-image marker)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot decode %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot decode the %1 data (damaged or truncated file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: internal error: expected an 8-bit BGR image</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::LoraFacts</name>
    <message>
        <source>LoRA file is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA path is not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the LoRA file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the LoRA file changed while it was read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::LoraTrainingFacts</name>
    <message>
        <source>too large for a training record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::PanelMetadata</name>
    <message>
        <source>%1 is outside what Storyboard Studio accepts; kept the panel&apos;s value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hires scale %1 is not usable; kept %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>size %1x%2 is not usable; kept %3x%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the storyboard_studio metadata is not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image was written by a newer version of Storyboard Studio (metadata schema %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the storyboard_studio metadata has no valid schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>size is not usable; kept %1x%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image carries no generation parameters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::PanelRender</name>
    <message>
        <source>Cannot write “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the folder “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::PngMetadata</name>
    <message>
        <source>cannot write a PNG of %1x%2 pixels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot encode PNG: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no image to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a PNG file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged PNG: inconsistent row size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: file is too large (%2 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid PNG text keyword &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG text &quot;%1&quot; contains a NUL character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG text &quot;%1&quot; is not Latin-1; it needs an iTXt chunk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>damaged PNG: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::ProjectFile</name>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing required field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a string, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a number, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a whole number, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value %1 is outside the allowed range [%2, %3]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected %1, found %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an object, found %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refusing image path &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown seed mode &quot;%1&quot; (expected fixed, increment, decrement or randomize)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown sampler &quot;%1&quot; (expected one of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value %1 is not a multiple of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>malformed JSON at byte %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a story project: the JSON document is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a Storyboard Studio project (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>app: &quot;%1&quot; is not a Storyboard Studio project (expected &quot;%2&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema: this file was written by a newer version of Storyboard Studio (schema %1; this version reads schema %2 and older)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refusing LoRA path &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a story has exactly %1 panels, this file has %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is a folder, not a story file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file is too large for a story (%1 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file is too large for a story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not saved, the story is invalid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot save: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::ProjectPaths</name>
    <message>
        <source>the path is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path is absolute; images must be relative to the project folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path contains a backslash; use &apos;/&apos; as separator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path contains &apos;:&apos; (a drive or stream name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path contains a control character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path ends with &apos;/&apos; (a folder, not a file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path contains an empty component (&apos;//&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path contains &apos;..&apos; and would leave the project folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path component &apos;%1&apos; ends with a dot or space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path component &apos;%1&apos; is a reserved device name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path names a folder, not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path leaves the project folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path goes through a dangling symbolic link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path leads outside the project folder through a symbolic link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::StoryExporter</name>
    <message>
        <source>%1 is a symbolic link; refusing to write through it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists and is not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>panel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>panels %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot export: %1 has no image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot export: %1 have no image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading panel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>panel %1: %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>panel %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot export: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot export: LoRA %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no LoRA file is set: the card says so and no LoRA is copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no output folder given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists and is not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refusing to export into the project folder itself; choose another folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the LoRA&apos;s tensors cannot be read without the rendering engine, so the card leaves its rank, alpha and effective scale undetermined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the LoRA&apos;s tensors could not be read, so the card leaves its rank, alpha and effective scale undetermined: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the mean aesthetic score %1 is below the challenge&apos;s threshold %2: the submission would be rejected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::StoryRenderPlan</name>
    <message>
        <source>there is no panel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>character settings: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>panel %1 is an identity panel (consistent characters use panels 1 to %2) and has no prompt</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::story::StoryValidator</name>
    <message>
        <source>: file is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: unreadable: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: not a PNG or JPEG image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read the %2 header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: image is %2x%3, the panel is set to %4x%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path is relative and the story is not saved yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the story has no title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no LoRA file is set; export will say so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no image chosen yet (export needs one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreadable</source>
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
    <name>studio::ui::CharacterSection</name>
    <message>
        <source>Consistent characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep the character the same in every panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The identity panels are rendered together first; every later panel looks at their character while it is drawn (consistent self-attention, no extra model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Identity panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many of the first panels show the character (default: the first two).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;trength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much of the identity panels a later panel sees (0: nothing, 1: everything; default 0.5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start at st&amp;ep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps before this one draw freely (default 5); lower values hold the character more tightly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An image file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A panel&apos;s chosen image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image is copied into the story&apos;s folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Panel</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP s&amp;cale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How strongly the reference image steers every panel (default 0.5).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use panel %1</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render All draws panels 1–%1 first, then the rest. The story renders as one: every panel uses panel 1&apos;s steps, CFG, sampler and size, and seed + its number.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: every panel is drawn on its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 is an identity panel and has no prompt yet.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reference image needs the IP-Adapter files: set them in &lt;a href=&quot;#model&quot;&gt;Settings ▸ Model…&lt;/a&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the story first: the reference image is kept in the story&apos;s folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 has no chosen image yet: render it first.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reference image is missing from the story&apos;s folder: choose it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the character&apos;s reference image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image cannot be used: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::ExportDialog</name>
    <message>
        <source>AI-generated</source>
        <comment>the visible label drawn on exported images (GB 45438-2025)</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to &amp;folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comic to read and share (next to the challenge submission)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vertical strip for phones (comic-strip.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PDF (comic.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2×4 panels on one page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One panel per page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AI-generated content label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show “%1” on the &amp;comic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show “%1” on the &amp;submission images too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every image and the PDF always carry the implicit label in their metadata, as the 2025 labelling rules require.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview (phone strip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Story to Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CB&amp;Z for comic readers (comic.cbz)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::HiresFixRow</name>
    <message>
        <source>→ %1×%2 px, %3 of %4 steps</source>
        <extracomment>hires fix result: %1 x %2 pixels, %3 of %4 steps run in the second pass</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hires fix</source>
        <comment>A1111&apos;s hires fix</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render at the panel&apos;s size, upscale the latents and refine them (A1111&apos;s hires fix with the “Latent” upscaler). The panel keeps its size; the image comes out larger.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale</source>
        <comment>hires fix upscale factor</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strength</source>
        <comment>hires fix denoising strength</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <comment>hires fix steps</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same</source>
        <comment>hires steps: as many as the panel&apos;s</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::IpAdapterSettingsGroup</name>
    <message>
        <source>Reference image (IP-Adapter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A story&apos;s reference image needs Kolors-IP-Adapter-Plus, downloaded once from &lt;a href=&quot;https://huggingface.co/Kwai-Kolors/Kolors-IP-Adapter-Plus&quot;&gt;Hugging Face Kwai-Kolors/Kolors-IP-Adapter-Plus&lt;/a&gt;: the file &lt;tt&gt;ip_adapter_plus_general.bin&lt;/tt&gt; and the folder &lt;tt&gt;image_encoder/&lt;/tt&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP-&amp;Adapter file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ip_adapter_plus_general.bin or .safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image &amp;encoder folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kolors-IP-Adapter-Plus/image_encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No IP-Adapter file or image encoder folder is set (Settings ▸ Model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The IP-Adapter file “%1” does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image encoder folder has no %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image encoder folder has no model.safetensors or pytorch_model.bin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not set: stories can use consistent characters, but no reference image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ IP-Adapter files found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Not usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the IP-Adapter file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP-Adapter weights (*.bin *.safetensors);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the image encoder folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::LossChart</name>
    <message>
        <source>Loss per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smoothed loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
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
    <message>
        <source>estimating…</source>
        <comment>time left</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <comment>seconds</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <comment>minutes and seconds</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <comment>hours and minutes</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Render</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render &amp;All Panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue every panel that has a prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render &amp;Panel</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the selected panel with its seed (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;generate Panel</source>
        <comment>render again with a new seed</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the selected panel again with the next seed of its seed mode; earlier images are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel Selected Panel</source>
        <comment>take the panel out of the render queue</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the selected panel out of the queue, or stop it if it is rendering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running panel at its next step and clear the queue (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop &amp;After This Panel</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let the running panel finish, then stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model…</source>
        <comment>Kolors model settings</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kolors folder, LoRA, device, memory options and the aesthetic predictor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aesthetic Score Below Threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mean aesthetic score of the chosen images is %1 (%2 of 8 panels scored), below the threshold %3. The challenge rejected stories below it. Export anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rendering panel %1 with seed %2…</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number, %2 the seed used</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 rendered in %2 (seed %3).</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aesthetic score %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It needed tiled VAE decoding after running out of memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Render</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render queue finished (%1 of %2 panels).</source>
        <extracomment>%1 panels ended, %2 panels in the batch</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the Story First</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rendered images are kept in the story&apos;s folder (images/panel-01 … panel-08), next to the story file. Save the story now to choose that folder?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 is not in the render queue.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Use This Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 now has the settings of “%2”.</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number, %2 the image file name</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1: step %2/%3, %4 left</source>
        <comment>storyboard panel</comment>
        <extracomment>progress bar text; %1 panel number, %2 step, %3 steps, %4 time left (e.g. &quot;12 s&quot;)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Story: %1 of %2 panels, %3 left</source>
        <extracomment>progress bar text; %1 panels finished, %2 panels queued in all, %3 time left</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;No Kolors model yet.&lt;/b&gt; Everything but rendering works. Rendering needs the Kolors weights (about 16 GB, from Hugging Face or ModelScope): Settings ▸ Model… lists the files and where to get them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aesthetic: no scores yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aesthetic: no predictor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each panel is scored after it is rendered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the aesthetic predictor in Settings ▸ Model… to score each render. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aesthetic mean %1 (threshold %2, %3 of 8 panels)</source>
        <extracomment>status bar; %1 mean aesthetic score, %2 the threshold, %3 scored panels</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mean meets the challenge&apos;s threshold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Below the threshold: the challenge would reject this story.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rendering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panels are still rendering. Stop rendering and quit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Train LoRA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepare training images and train the story&apos;s style LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export is still being written. Quit as soon as it is finished?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Character</source>
        <comment>the story&apos;s recurring character</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::MemoryEstimateLabel</name>
    <message>
        <source>Choose the model folder to see how much memory rendering needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimating the memory these settings need…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No memory estimate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated peak for %1×%2 images: %3 of GPU memory, %4 of RAM (%5 with the model files the system maps in).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated peak for %1×%2 images on the CPU: %3 of RAM (%4 with the model files the system maps in).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much RAM is free on this computer is unknown, so there is no verdict on whether these settings fit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much GPU memory is free is unknown, so there is no verdict on whether these settings fit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Fits: needs %1 of the %2 of GPU memory and %3 of the %4 of RAM free now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Fits: needs %1 of the %2 of RAM free now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The text encoder then runs on the CPU, as “Automatic” chooses when GPU memory is short.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Does not fit: needs %1 of GPU memory and %2 of RAM; %3 and %4 are free now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Does not fit: needs %1 of GPU memory, %2 free now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Does not fit: needs %1 of RAM, %2 free now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lighter setting fits: close other programs or choose a smaller image size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <extracomment>%1 is a row of Settings ▸ Model, %2 the choice to make in it</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of GPU memory, %2 of RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lighter settings that fit: %1 (needs %2).</source>
        <extracomment>%1 lists the choices (“row”: choice), %2 what they need</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <comment>between lighter settings</comment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::ModelSettingsDialog</name>
    <message>
        <source>&lt;p&gt;Rendering needs the &lt;b&gt;Kolors&lt;/b&gt; weights (about 16 GB), downloaded once from &lt;a href=&quot;https://huggingface.co/Kwai-Kolors/Kolors-diffusers&quot;&gt;Hugging Face Kwai-Kolors/Kolors-diffusers&lt;/a&gt; or &lt;a href=&quot;https://modelscope.cn/models/Kwai-Kolors/Kolors&quot;&gt;ModelScope Kwai-Kolors/Kolors&lt;/a&gt;. The folder must hold:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;tt&gt;model_index.json&lt;/tt&gt; and &lt;tt&gt;scheduler/scheduler_config.json&lt;/tt&gt;&lt;/li&gt;&lt;li&gt;&lt;tt&gt;text_encoder/&lt;/tt&gt;: &lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;tokenizer.model&lt;/tt&gt; and the ChatGLM3 weights (&lt;tt&gt;*.safetensors&lt;/tt&gt; or &lt;tt&gt;pytorch_model-0000N-of-00007.bin&lt;/tt&gt; with their index)&lt;/li&gt;&lt;li&gt;&lt;tt&gt;unet/&lt;/tt&gt; and &lt;tt&gt;vae/&lt;/tt&gt;: &lt;tt&gt;config.json&lt;/tt&gt; and &lt;tt&gt;diffusion_pytorch_model[.fp16].safetensors&lt;/tt&gt;&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;DiffSynth-Studio&apos;s download (&lt;tt&gt;models/kolors/Kolors&lt;/tt&gt;) works too, and so does a Kolors folder inside ComfyUI (&lt;tt&gt;models/diffusers/Kolors&lt;/tt&gt;) or A1111/Forge: choose the installation and the studio finds it. The files are used where they are; nothing is copied. Without a model, everything but rendering works.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kolors model</source>
        <comment>the base model</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kolors folder, or a ComfyUI / A1111 / DiffSynth installation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device and memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Release the text encoder before sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frees the ChatGLM3 text encoder (about 12 GB in fp16) after the prompts are encoded. Saves GPU memory; each render then loads it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tiled VAE decoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decodes the image in tiles: much less memory for large images, slightly slower.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aesthetic score (challenge gate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;redictor folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: the aesthetic predictor (CLIP ViT-L/14 + linear head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <comment>minimum mean aesthetic score</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The challenge rejected stories whose mean aesthetic score was below 6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (CUDA when available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA (NVIDIA GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (fp16 on CUDA, fp32 on the CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp32 (full precision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp16 (half precision, CUDA only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model folder yet: everything but rendering works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ Not usable: %1</source>
        <extracomment>%1 is the engine&apos;s message naming the missing file</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DiffSynth layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kolors-diffusers layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Found a Kolors model (%1) inside: %2</source>
        <extracomment>%1 is the layout name, %2 the folder found inside the chosen one</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Kolors model found (%1); it is used where it is.</source>
        <extracomment>%1 is the layout name</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No predictor: panels get no aesthetic score. To get one: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Aesthetic predictor found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Kolors model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the aesthetic predictor folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model folder belongs to this computer and serves every story. The LoRA and its scale belong to the story: set them in the Story tab, they are saved with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for a Kolors model in “%1”…</source>
        <extracomment>%1 is the folder being looked at</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA is not available: no NVIDIA GPU is visible, or this copy of Storyboard Studio was made without GPU support. Rendering runs on the CPU (slow at full size).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Te&amp;xt encoder runs on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatGLM3 needs about 12 GB in fp16. On the CPU it leaves the GPU to the UNet (8-12 GB cards) and encodes a prompt in seconds; the image can differ very slightly. Automatic chooses the CPU when the GPU&apos;s free memory is too small.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;UNet on the GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block by block keeps the UNet in main memory and moves each block to the GPU only while it runs: for 4-6 GB cards, slower, the same image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (the CPU when GPU memory is short)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU (with the UNet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU (saves GPU memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole UNet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block by block (4-6 GB cards, slower)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text encoder &amp;weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatGLM3&apos;s own int8/int4 quantization, done while loading: about half (int8) or a quarter (int4) of the text encoder&apos;s memory. The prompt is understood very slightly differently, so images change a little; the image parameters record the choice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As stored (16-bit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>int8 (half the memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>int4 (a quarter, 8 GB cards and 16 GB PCs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantized once and kept in %1 (for Kolors about 5.4 GB with int8, 2.7 GB with int4); later loads read it from there. Deleting that folder is safe: it is made again.</source>
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
    <message>
        <source>The prompt with the story&apos;s style words is longer than Kolors reads (%1 tokens): its end is cut off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens of the prompt with the story&apos;s style words, out of the %1 Kolors reads (2 of them start every prompt).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capt&amp;ion</source>
        <comment>narration or dialogue printed under the panel in the comic</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Narration or dialogue shown under the panel in the comic (not sent to the model)</source>
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
    <name>studio::ui::RefineActions</name>
    <message>
        <source>Re&amp;fine Panel…</source>
        <comment>img2img</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the panel again starting from one of its images, a file or a pasted image (img2img)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render &amp;Variants…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render several images of the panel at once with seeds seed, seed+1, … to pick from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render Variants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many images of panel %1 (seeds %2, %2+1, …)?</source>
        <comment>storyboard panel</comment>
        <extracomment>%1 is the panel number, %2 its seed</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::RefineDialog</name>
    <message>
        <source>Refine panel %1</source>
        <comment>storyboard panel</comment>
        <extracomment>window title; %1 is the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose, drop or paste an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The result appears here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from</source>
        <comment>img2img init image</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the image on the clipboard (Ctrl+V)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Image:</source>
        <comment>img2img source</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Denoising strength:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much the image may change: 0 keeps it, 1 paints it anew from noise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image to start from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a PNG or JPEG image that can be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued. The result is added to the panel&apos;s images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: the result is now the panel&apos;s chosen image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image %1 (seed %2)</source>
        <extracomment>an image of the panel to refine; %1 its number, %2 its seed</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — chosen</source>
        <extracomment>marks the panel&apos;s chosen image in a list</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other image (file, drop or paste)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image %1 of this panel cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No step would run: raise the strength (or the panel&apos;s steps).</source>
        <extracomment>%1 steps of the panel&apos;s %2 steps run in img2img</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of the panel&apos;s %2 steps will run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the story first: rendered images are stored in the story&apos;s folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder “%1” cannot be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the image to start from first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::RenderQueue</name>
    <message>
        <source>No Kolors model folder is set, so rendering cannot start. Choose the folder in Settings ▸ Model…; that dialog also lists the files needed and where to get them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kolors model folder “%1” cannot be used: %2

Choose another folder in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the story first: rendered images are stored in the story&apos;s folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No panel to render: every panel with a prompt is already queued, or no panel has a prompt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no panel %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 has no prompt yet.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 is already in the queue.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping panel %1…</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The queue was cleared; panel %1 finishes first.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the Kolors model from “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 ran out of memory. Trying once more with tiled VAE decoding, which stays on until the studio restarts (turn on “Tiled VAE decoding” in Settings ▸ Model to keep it).</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No aesthetic score: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate panel %1</source>
        <comment>storyboard panel</comment>
        <extracomment>undo text; %1 is the panel number 1..8</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 was cancelled.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rendering is not available: this build of Storyboard Studio has no engine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Kolors model folder is set. Choose one in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kolors model folder is incomplete: %1

Choose a complete folder in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A file of the Kolors model is damaged or is not a Kolors file: %1

Download it again or choose another folder in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 cannot be rendered with its settings: %2</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The image of panel %1 could not be saved: %2</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chosen device cannot be used: %1

Choose “Automatic” or “CPU” in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 failed: %2</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The story&apos;s LoRA cannot be used: %1

Choose another LoRA file (or none) in the story settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose between 1 and %1 variants.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rendering is not available: this build of Storyboard Studio has no rendering engine. Everything else works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The story render was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel %1 does not fit into memory. In Settings ▸ Model choose int8 or int4 text encoder weights, run the text encoder on the CPU, turn on “Release the text encoder before sampling” and “Tiled VAE decoding”, or choose a smaller image size; the estimate there shows what the choices need.

(%2)</source>
        <comment>storyboard panel</comment>
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
    <message>
        <source>There is no panel %1.</source>
        <comment>storyboard panel</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” carries no generation settings (no A1111 “parameters” text and no Storyboard Studio metadata).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore panel %1 from an image</source>
        <comment>storyboard panel</comment>
        <extracomment>undo text; %1 is the panel number 1..8</extracomment>
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
        <source>LoRA</source>
        <comment>the story&apos;s LoRA</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The LoRA and its scale belong to the story and are saved with it. The Kolors model folder belongs to this computer: choose it in Settings ▸ Model….</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingDataPanel</name>
    <message>
        <source>Training images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data-Juicer config or jsonl…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters (image folder and jsonl; a Data-Juicer config brings its own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum width × height</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aspect ratio (w / h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove exact duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept / refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One caption for all:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 二次元 (the baseline&apos;s caption)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply to all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder of images (captions from metadata.csv or .txt files beside them), or a Data-Juicer config / metadata.jsonl.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder of training images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data-Juicer config or metadata.jsonl</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data-Juicer files (*.yaml *.yml *.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Captions from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Captions from the .txt files beside the images.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 images kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 kept image(s) have no caption yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingPage</name>
    <message>
        <source>The story now renders with %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use as the story&apos;s LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the training images, then start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This build of the studio has no engine: it cannot train.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A training is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The images are still being read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Kolors model folder first (Settings → Model).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The learning rate must be a positive number, such as 1e-4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No kept image with a caption: choose training images and give them captions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no stopped run to resume (%1 does not exist).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the render queue: training starts when the panels being rendered are done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping after this step (a checkpoint is written to resume from)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A LoRA is being trained on the Train LoRA page: renders can start when it is done or stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 of %2 · loss %3 (smoothed %4) · %5 it/s · %6 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint of step %1 written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped after %1 steps; resume continues from there. LoRA so far: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: %1 steps, smoothed loss %2, %3 s per step. LoRA: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trained LoRA yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingSettingsForm</name>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alpha (α)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every N steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample every N steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (fp16 on CUDA, fp32 on the CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 二次元，一个紫色长发小女孩</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LoRA rank: more capacity, a larger file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The LoRA&apos;s scale is α / rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the LoRA so far and a state to resume from every N steps (0: never)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the sample prompt with the LoRA so far every N steps (0: never)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>studio::ui::TrainingWorker</name>
    <message>
        <source>This build of the studio has no engine: it cannot train.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of memory: lower the resolution or the rank, or choose fp16/bf16 on CUDA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Kolors model folder is incomplete or not a Kolors model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A file could not be read or written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These settings cannot be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine stopped with an error.</source>
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
    <message>
        <source>score %1</source>
        <comment>aesthetic score</comment>
        <extracomment>second line under a rendered image; %1 is its aesthetic score, e.g. 6.12</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>img2img %1</source>
        <extracomment>short label of an img2img image; %1 is the denoising strength</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refined from %1 (SHA-256 %2…) at strength %3, %4 steps</source>
        <extracomment>%1 the start image&apos;s file, %2 the start of its SHA-256, %3 the strength, %4 the steps that ran</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hires ×%1</source>
        <extracomment>short label of a hires-fix image; %1 is the scale</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hires fix ×%1 to %2×%3 px, strength %4, %5 steps (upscaler: Latent)</source>
        <extracomment>%1 scale, %2 x %3 the image size, %4 strength, %5 steps of the second pass</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variant %1 of a batch</source>
        <extracomment>%1 is the place of the image in one &quot;Render variants&quot; batch, counted from 1</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
