#include "JsonFieldReader.h"

#include <cmath>

#include <QCoreApplication>

namespace studio::story {

QString describeJsonValue(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (d == std::floor(d) && std::fabs(d) < 1e18)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String: {
        QString s = v.toString();
        if (s.size() > 60)
            s = s.left(57) + QStringLiteral("...");
        return QLatin1Char('"') + s + QLatin1Char('"');
    }
    case QJsonValue::Array:
        return QCoreApplication::translate("studio::story::ProjectFile", "an array");
    case QJsonValue::Object:
        return QCoreApplication::translate("studio::story::ProjectFile", "an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

void JsonFieldReader::fail(const QString &field, const QString &problem)
{
    if (m_error.isEmpty())
        m_error = field.isEmpty() ? problem : field + QStringLiteral(": ") + problem;
}

QJsonValue JsonFieldReader::get(const QJsonObject &obj, const QString &path, const QString &key, bool required)
{
    const QJsonValue v = obj.value(key);
    if (v.isUndefined() && required)
        fail(join(path, key), QCoreApplication::translate("studio::story::ProjectFile", "missing required field"));
    return v;
}

void JsonFieldReader::readString(const QJsonObject &obj, const QString &path, const QString &key, QString *out,
                                 bool required)
{
    if (!ok())
        return;
    const QJsonValue v = get(obj, path, key, required);
    if (v.isUndefined())
        return;
    if (!v.isString())
        return fail(join(path, key),
                    QCoreApplication::translate("studio::story::ProjectFile", "expected a string, found %1")
                        .arg(describeJsonValue(v)));
    *out = v.toString();
}

void JsonFieldReader::readInteger(const QJsonObject &obj, const QString &path, const QString &key, qint64 lo, qint64 hi,
                                  qint64 *out, bool required)
{
    if (!ok())
        return;
    const QJsonValue v = get(obj, path, key, required);
    if (v.isUndefined())
        return;
    if (!v.isDouble())
        return fail(join(path, key),
                    QCoreApplication::translate("studio::story::ProjectFile", "expected a number, found %1")
                        .arg(describeJsonValue(v)));
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d))
        return fail(join(path, key),
                    QCoreApplication::translate("studio::story::ProjectFile", "expected a whole number, found %1")
                        .arg(describeJsonValue(v)));
    if (d < double(lo) || d > double(hi))
        return fail(join(path, key), QCoreApplication::translate("studio::story::ProjectFile",
                                                                 "value %1 is outside the allowed range [%2, %3]")
                                         .arg(describeJsonValue(v))
                                         .arg(lo)
                                         .arg(hi));
    *out = v.toInteger(qint64(d));
}

void JsonFieldReader::readInt(const QJsonObject &obj, const QString &path, const QString &key, int lo, int hi, int *out,
                              bool required)
{
    qint64 value = *out;
    readInteger(obj, path, key, lo, hi, &value, required);
    *out = int(value);
}

void JsonFieldReader::readDouble(const QJsonObject &obj, const QString &path, const QString &key, double lo, double hi,
                                 double *out, bool required)
{
    if (!ok())
        return;
    const QJsonValue v = get(obj, path, key, required);
    if (v.isUndefined())
        return;
    if (!v.isDouble())
        return fail(join(path, key),
                    QCoreApplication::translate("studio::story::ProjectFile", "expected a number, found %1")
                        .arg(describeJsonValue(v)));
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < lo || d > hi)
        return fail(join(path, key), QCoreApplication::translate("studio::story::ProjectFile",
                                                                 "value %1 is outside the allowed range [%2, %3]")
                                         .arg(describeJsonValue(v))
                                         .arg(lo)
                                         .arg(hi));
    *out = d;
}

void JsonFieldReader::readBool(const QJsonObject &obj, const QString &path, const QString &key, bool *out,
                               bool required)
{
    const QJsonValue v = readOfType(obj, path, key, required, &QJsonValue::isBool,
                                    QT_TRANSLATE_NOOP("studio::story::ProjectFile", "true or false"));
    if (v.isBool())
        *out = v.toBool();
}

QJsonObject JsonFieldReader::readObject(const QJsonObject &obj, const QString &path, const QString &key, bool required)
{
    return readOfType(obj, path, key, required, &QJsonValue::isObject,
                      QT_TRANSLATE_NOOP("studio::story::ProjectFile", "an object"))
        .toObject();
}

QJsonArray JsonFieldReader::readArray(const QJsonObject &obj, const QString &path, const QString &key, bool required)
{
    return readOfType(obj, path, key, required, &QJsonValue::isArray,
                      QT_TRANSLATE_NOOP("studio::story::ProjectFile", "an array"))
        .toArray();
}

QJsonValue JsonFieldReader::readOfType(const QJsonObject &obj, const QString &path, const QString &key, bool required,
                                       bool (QJsonValue::*is)() const, const char *expected)
{
    if (!ok())
        return {};
    const QJsonValue v = get(obj, path, key, required);
    if (v.isUndefined())
        return {};
    if (!(v.*is)()) {
        fail(join(path, key),
             QCoreApplication::translate("studio::story::ProjectFile", "expected %1, found %2")
                 .arg(QCoreApplication::translate("studio::story::ProjectFile", expected), describeJsonValue(v)));
        return {};
    }
    return v;
}

} // namespace studio::story
