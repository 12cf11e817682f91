#pragma once

#include "TrainingDataSet.h"

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace studio::ui {

// The data half of the Train LoRA page: choose an image folder or a Data-Juicer config / metadata.jsonl, see
// every image kept or refused with the reason, and edit the captions (one for all, or per image; captions from a
// metadata.csv or .txt files beside the images are read in). Loading and filtering run in the background.
class TrainingDataPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TrainingDataPanel(QWidget *parent = nullptr);

    const TrainingDataSet &dataSet() const { return m_data; }
    bool isLoading() const { return m_watcher.isRunning(); }
    // Loads in the background; dataChanged() follows (or loadFailed()).
    void loadFolder(const QString &dir);
    void loadDataJuicer(const QString &path); // a .yaml config or a .jsonl
    void setLocked(bool locked);              // while training: nothing may change
    void setAllCaptions(const QString &caption);
    void retranslate();

Q_SIGNALS:
    void dataChanged();
    void loadFailed(const QString &message);

private:
    struct Loaded
    {
        TrainingDataSet data;
        QString error;
    };

    void chooseFolder();
    void chooseDataJuicer();
    void reload();
    void startLoading(const std::function<Loaded()> &work);
    void onLoaded();
    void fillTable();
    void onCellChanged(int row, int column);
    void applyCaptionToAll();
    TrainingDataSet::Filters filters() const;
    void updateSummary();

    TrainingDataSet m_data;
    QFutureWatcher<Loaded> m_watcher;
    bool m_filling = false;

    QGroupBox *m_sourceBox;
    QPushButton *m_folderButton;
    QPushButton *m_configButton;
    QLabel *m_sourceLabel;
    QGroupBox *m_filterBox;
    QLabel *m_minSizeLabel;
    QSpinBox *m_minWidth;
    QSpinBox *m_minHeight;
    QLabel *m_ratioLabel;
    QDoubleSpinBox *m_minRatio;
    QDoubleSpinBox *m_maxRatio;
    QCheckBox *m_dedup;
    QPushButton *m_applyFilters;
    QTableWidget *m_table;
    QLabel *m_captionAllLabel;
    QLineEdit *m_captionAll;
    QPushButton *m_captionAllButton;
    QLabel *m_summary;
};

} // namespace studio::ui
