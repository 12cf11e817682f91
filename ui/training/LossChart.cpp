#include "LossChart.h"

#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace studio::ui {

LossChart::LossChart(QWidget *parent)
    : QChartView(parent), m_loss(new QLineSeries), m_smoothed(new QLineSeries), m_x(new QValueAxis),
      m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->addSeries(m_loss);
    chart->addSeries(m_smoothed);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries *s : {m_loss, m_smoothed}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    QPen thin(QColor(120, 160, 220));
    thin.setWidthF(1.0);
    m_loss->setPen(thin);
    QPen bold(QColor(220, 90, 40));
    bold.setWidthF(2.5);
    m_smoothed->setPen(bold);
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_y->setLabelFormat(QStringLiteral("%.3f"));
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->setMargins(QMargins(4, 4, 4, 4));
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(170);
    retranslate();
    reset(100);
}

void LossChart::retranslate()
{
    m_loss->setName(tr("Loss per step"));
    m_smoothed->setName(tr("Smoothed loss"));
    m_x->setTitleText(tr("Step"));
}

void LossChart::reset(int totalSteps)
{
    m_loss->clear();
    m_smoothed->clear();
    m_maxLoss = 0;
    m_x->setRange(0, qMax(1, totalSteps));
    m_y->setRange(0, 1);
}

void LossChart::addStep(int step, double loss, double smoothedLoss)
{
    if (!std::isfinite(loss) || !std::isfinite(smoothedLoss))
        return;
    m_loss->append(step, loss);
    m_smoothed->append(step, smoothedLoss);
    if (step > m_x->max())
        m_x->setMax(step);
    if (loss > m_maxLoss) {
        m_maxLoss = loss;
        m_y->setRange(0, m_maxLoss * 1.1);
    }
}

int LossChart::pointCount() const
{
    return m_loss->count();
}

} // namespace studio::ui
