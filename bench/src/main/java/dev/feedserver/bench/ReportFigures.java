package dev.feedserver.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Rounds a figure for the report: three significant digits below 100 ({@code 9.43},
 * {@code 0.0305}), whole numbers with thousands separators from 100 up ({@code 5,540}), so no
 * digit is shown that a noisy measurement cannot carry and no integer part is cut. Stateless.
 */
public final class ReportFigures {
    private static final int SIGNIFICANT_DIGITS = 3;

    private ReportFigures() {
    }

    /** {@code value} rounded as described above; NaN and infinities are spelled out. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "infinity" : "-infinity";
        }
        if (Math.abs(value) >= 100) {
            // A new formatter per call: DecimalFormat is not thread-safe and this is not hot.
            DecimalFormat grouped = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
            grouped.setRoundingMode(RoundingMode.HALF_UP);
            return grouped.format(value);
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_UP));
        return rounded.stripTrailingZeros().toPlainString();
    }
}
