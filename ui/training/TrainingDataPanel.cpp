#include "TrainingDataPanel.h"

#include "ui/FileDialog.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace studio::ui {

namespace {
enum Column { ImageColumn, StatusColumn, CaptionColumn, ColumnCount };
}

TrainingDataPanel::TrainingDataPanel(QWidget *parent)
    : QWidget(parent), m_sourceBox(new QGroupBox), m_folderButton(new QPushButton), m_configButton(new QPushButton),
      m_sourceLabel(new QLabel), m_filterBox(new QGroupBox), m_minSizeLabel(new QLabel), m_minWidth(new QSpinBox),
      m_minHeight(new QSpinBox), m_ratioLabel(new QLabel), m_minRatio(new QDoubleSpinBox),
      m_maxRatio(new QDoubleSpinBox), m_dedup(new QCheckBox), m_applyFilters(new QPushButton),
      m_table(new QTableWidget(0, ColumnCount)), m_captionAllLabel(new QLabel), m_captionAll(new QLineEdit),
      m_captionAllButton(new QPushButton), m_summary(new QLabel)
{
    m_sourceLabel->setWordWrap(true);
    m_sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *sourceLayout = new QVBoxLayout(m_sourceBox);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_folderButton);
    buttons->addWidget(m_configButton);
    buttons->addStretch();
    sourceLayout->addLayout(buttons);
    sourceLayout->addWidget(m_sourceLabel);

    for (QSpinBox *s : {m_minWidth, m_minHeight}) {
        s->setRange(1, 16384);
        s->setValue(1);
    }
    for (QDoubleSpinBox *s : {m_minRatio, m_maxRatio}) {
        s->setRange(0.01, 100.0);
        s->setDecimals(3);
        s->setSingleStep(0.1);
    }
    m_minRatio->setValue(0.333);
    m_maxRatio->setValue(3.0);
    m_dedup->setChecked(true);
    auto *filterLayout = new QGridLayout(m_filterBox);
    filterLayout->addWidget(m_minSizeLabel, 0, 0);
    filterLayout->addWidget(m_minWidth, 0, 1);
    filterLayout->addWidget(new QLabel(QStringLiteral("×")), 0, 2);
    filterLayout->addWidget(m_minHeight, 0, 3);
    filterLayout->addWidget(m_ratioLabel, 1, 0);
    filterLayout->addWidget(m_minRatio, 1, 1);
    filterLayout->addWidget(new QLabel(QStringLiteral("–")), 1, 2);
    filterLayout->addWidget(m_maxRatio, 1, 3);
    filterLayout->addWidget(m_dedup, 2, 0, 1, 2);
    filterLayout->addWidget(m_applyFilters, 2, 3);
    filterLayout->setColumnStretch(4, 1);

    m_table->setObjectName(QStringLiteral("trainingImages"));
    m_table->setIconSize(QSize(48, 48));
    m_table->verticalHeader()->setDefaultSectionSize(52);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ImageColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(CaptionColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(ImageColumn, 170);
    m_table->setColumnWidth(StatusColumn, 240);
    m_table->setWordWrap(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);

    auto *captionRow = new QHBoxLayout;
    captionRow->addWidget(m_captionAllLabel);
    captionRow->addWidget(m_captionAll, 1);
    captionRow->addWidget(m_captionAllButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sourceBox);
    layout->addWidget(m_filterBox);
    layout->addWidget(m_table, 1);
    layout->addLayout(captionRow);
    layout->addWidget(m_summary);

    connect(m_folderButton, &QPushButton::clicked, this, &TrainingDataPanel::chooseFolder);
    connect(m_configButton, &QPushButton::clicked, this, &TrainingDataPanel::chooseDataJuicer);
    connect(m_applyFilters, &QPushButton::clicked, this, &TrainingDataPanel::reload);
    connect(m_captionAllButton, &QPushButton::clicked, this, &TrainingDataPanel::applyCaptionToAll);
    connect(m_captionAll, &QLineEdit::returnPressed, this, &TrainingDataPanel::applyCaptionToAll);
    connect(m_table, &QTableWidget::cellChanged, this, &TrainingDataPanel::onCellChanged);
    connect(&m_watcher, &QFutureWatcher<Loaded>::finished, this, &TrainingDataPanel::onLoaded);
    retranslate();
}

void TrainingDataPanel::retranslate()
{
    m_sourceBox->setTitle(tr("Training images"));
    m_folderButton->setText(tr("Image folder…"));
    m_configButton->setText(tr("Data-Juicer config or jsonl…"));
    m_filterBox->setTitle(tr("Filters (image folder and jsonl; a Data-Juicer config brings its own)"));
    m_minSizeLabel->setText(tr("Minimum width × height"));
    m_ratioLabel->setText(tr("Aspect ratio (w / h)"));
    m_dedup->setText(tr("Remove exact duplicates"));
    m_applyFilters->setText(tr("Apply filters"));
    m_table->setHorizontalHeaderLabels({tr("Image"), tr("Kept / refused"), tr("Caption")});
    m_captionAllLabel->setText(tr("One caption for all:"));
    m_captionAll->setPlaceholderText(tr("e.g. 二次元 (the baseline's caption)"));
    m_captionAllButton->setText(tr("Apply to all"));
    if (m_data.source() == TrainingDataSet::Source::None)
        m_sourceLabel->setText(tr("Choose a folder of images (captions from metadata.csv or .txt files beside "
                                  "them), or a Data-Juicer config / metadata.jsonl."));
    fillTable();
}

TrainingDataSet::Filters TrainingDataPanel::filters() const
{
    TrainingDataSet::Filters f;
    f.minWidth = m_minWidth->value();
    f.minHeight = m_minHeight->value();
    f.minRatio = m_minRatio->value();
    f.maxRatio = m_maxRatio->value();
    f.dropDuplicates = m_dedup->isChecked();
    return f;
}

void TrainingDataPanel::chooseFolder()
{
    const QString dir = FileDialog::getExistingDirectory(this, tr("Folder of training images"), QString());
    if (!dir.isEmpty())
        loadFolder(dir);
}

void TrainingDataPanel::chooseDataJuicer()
{
    const QString path = FileDialog::getOpenFileName(this, tr("Data-Juicer config or metadata.jsonl"), QString(),
                                                     tr("Data-Juicer files (*.yaml *.yml *.jsonl)"));
    if (!path.isEmpty())
        loadDataJuicer(path);
}

void TrainingDataPanel::loadFolder(const QString &dir)
{
    const TrainingDataSet::Filters f = filters();
    m_sourceLabel->setText(tr("Reading %1 …").arg(dir));
    startLoading([dir, f] {
        Loaded loaded;
        if (!loaded.data.loadFolder(dir, f, &loaded.error))
            loaded.error = loaded.error.isEmpty() ? tr("cannot read %1").arg(dir) : loaded.error;
        return loaded;
    });
}

void TrainingDataPanel::loadDataJuicer(const QString &path)
{
    const TrainingDataSet::Filters f = filters();
    m_sourceLabel->setText(tr("Reading %1 …").arg(path));
    const bool jsonl = path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive);
    startLoading([path, f, jsonl] {
        Loaded loaded;
        const bool ok = jsonl ? loaded.data.loadJsonl(path, f, &loaded.error)
                              : loaded.data.loadConfig(path, f.dropDuplicates, &loaded.error);
        if (!ok && loaded.error.isEmpty())
            loaded.error = tr("cannot read %1").arg(path);
        return loaded;
    });
}

void TrainingDataPanel::reload()
{
    switch (m_data.source()) {
    case TrainingDataSet::Source::Folder: loadFolder(m_data.sourcePath()); break;
    case TrainingDataSet::Source::DataJuicerConfig:
    case TrainingDataSet::Source::Jsonl: loadDataJuicer(m_data.sourcePath()); break;
    case TrainingDataSet::Source::None: break;
    }
}

void TrainingDataPanel::startLoading(const std::function<Loaded()> &work)
{
    if (m_watcher.isRunning())
        return;
    setLocked(true);
    m_watcher.setFuture(QtConcurrent::run(work));
}

void TrainingDataPanel::onLoaded()
{
    Loaded loaded = m_watcher.result();
    setLocked(false);
    if (!loaded.error.isEmpty()) {
        m_sourceLabel->setText(tr("Not loaded: %1").arg(loaded.error));
        Q_EMIT loadFailed(loaded.error);
        return;
    }
    m_data = std::move(loaded.data);
    QString text = QFileInfo(m_data.sourcePath()).absoluteFilePath();
    if (m_data.captionSource() == QLatin1String("metadata.csv"))
        text += QLatin1Char('\n') + tr("Captions from %1.").arg(m_data.captionSource());
    else if (!m_data.captionSource().isEmpty())
        text += QLatin1Char('\n') + tr("Captions from the .txt files beside the images.");
    for (const QString &p : m_data.problems())
        text += QLatin1Char('\n') + p;
    m_sourceLabel->setText(text);
    const bool ownFilters = m_data.source() == TrainingDataSet::Source::DataJuicerConfig;
    for (QWidget *w : {static_cast<QWidget *>(m_minWidth), static_cast<QWidget *>(m_minHeight),
                       static_cast<QWidget *>(m_minRatio), static_cast<QWidget *>(m_maxRatio)})
        w->setEnabled(!ownFilters);
    fillTable();
    Q_EMIT dataChanged();
}

void TrainingDataPanel::fillTable()
{
    m_filling = true;
    const auto &items = m_data.items();
    m_table->setRowCount(int(items.size()));
    for (int row = 0; row < items.size(); ++row) {
        const TrainingDataSet::Item &item = items[row];
        auto *image = new QTableWidgetItem(item.name);
        if (!item.thumbnail.isNull())
            image->setIcon(QIcon(QPixmap::fromImage(item.thumbnail)));
        image->setToolTip(item.imagePath);
        image->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        auto *status = new QTableWidgetItem(item.kept ? tr("Kept") : tr("Refused: %1").arg(item.reason));
        status->setToolTip(item.kept ? QString() : item.reason);
        status->setForeground(item.kept ? QColor(30, 120, 50) : QColor(170, 40, 30));
        status->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        auto *caption = new QTableWidgetItem(item.caption);
        caption->setFlags(item.kept ? (Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable)
                                    : (Qt::ItemIsSelectable));
        m_table->setItem(row, ImageColumn, image);
        m_table->setItem(row, StatusColumn, status);
        m_table->setItem(row, CaptionColumn, caption);
    }
    m_filling = false;
    updateSummary();
}

void TrainingDataPanel::onCellChanged(int row, int column)
{
    if (m_filling || column != CaptionColumn)
        return;
    m_data.setCaption(row, m_table->item(row, column)->text());
    updateSummary();
    Q_EMIT dataChanged();
}

void TrainingDataPanel::applyCaptionToAll()
{
    setAllCaptions(m_captionAll->text().trimmed());
}

void TrainingDataPanel::setAllCaptions(const QString &caption)
{
    if (caption.isEmpty())
        return;
    m_captionAll->setText(caption);
    m_data.setAllCaptions(caption);
    fillTable();
    Q_EMIT dataChanged();
}

void TrainingDataPanel::updateSummary()
{
    if (m_data.source() == TrainingDataSet::Source::None) {
        m_summary->clear();
        return;
    }
    const int kept = m_data.keptCount();
    const int trainable = m_data.trainableCount();
    QString text = tr("%1 of %2 images kept").arg(kept).arg(m_data.items().size());
    if (trainable < kept)
        text += QStringLiteral(" · ") + tr("%1 kept image(s) have no caption yet").arg(kept - trainable);
    m_summary->setText(text);
}

void TrainingDataPanel::setLocked(bool locked)
{
    for (QWidget *w : {static_cast<QWidget *>(m_folderButton), static_cast<QWidget *>(m_configButton),
                       static_cast<QWidget *>(m_applyFilters), static_cast<QWidget *>(m_captionAllButton),
                       static_cast<QWidget *>(m_captionAll)})
        w->setEnabled(!locked);
    m_table->setEditTriggers(locked ? QAbstractItemView::NoEditTriggers
                                    : (QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                       QAbstractItemView::AnyKeyPressed));
}

} // namespace studio::ui
