package dev.feedserver.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportFiguresTest {
    @Test
    void belowOneHundredKeepsThreeSignificantDigits() {
        assertEquals("9.43", ReportFigures.format(9.429270680372001));
        assertEquals("0.0305", ReportFigures.format(0.030540256476665056));
        assertEquals("0.011", ReportFigures.format(0.010984255));
        assertEquals("1", ReportFigures.format(1.0));
        assertEquals("-2.5", ReportFigures.format(-2.5));
        assertEquals("0", ReportFigures.format(0.0));
    }

    @Test
    void fromOneHundredUpShowsWholeNumbersWithSeparators() {
        assertEquals("305", ReportFigures.format(305.43576));
        assertEquals("5,540", ReportFigures.format(5539.676159999996));
        assertEquals("37,705", ReportFigures.format(37705));
        assertEquals("100", ReportFigures.format(99.96));
    }

    @Test
    void nonFiniteValuesAreSpelledOut() {
        assertEquals("NaN", ReportFigures.format(Double.NaN));
        assertEquals("infinity", ReportFigures.format(Double.POSITIVE_INFINITY));
    }
}
