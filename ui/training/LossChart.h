#pragma once

#include <QChartView>

class QLineSeries;
class QValueAxis;

namespace studio::ui {

// The live loss curve of a training run (QtCharts): the loss of every step, thin, and its smoothed value on top.
// The axes grow with the data; the x axis spans the planned steps so the curve's progress shows at a glance.
class LossChart : public QChartView
{
    Q_OBJECT
public:
    explicit LossChart(QWidget *parent = nullptr);

    void reset(int totalSteps);
    void addStep(int step, double loss, double smoothedLoss);
    int pointCount() const;
    void retranslate();

private:
    QLineSeries *m_loss;
    QLineSeries *m_smoothed;
    QValueAxis *m_x;
    QValueAxis *m_y;
    double m_maxLoss = 0;
};

} // namespace studio::ui
