package io.sparkmlp.jobs.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written number scanner accepts exactly what the strict number regex accepts, and a
 * cell reads as a number, a missing value or text as before.
 */
class CellsTest {

  @Test
  void theScannerAgreesWithTheRegexOnEdgeCases() {
    for (String s : List.of("0", "-0", "+1", "1.", ".5", "-.5", "+.5e3", "1e5", "1E-5", "1e+05",
        "12.34e5", ".", "-", "+", "", "e5", ".e5", "1e", "1e+", "1.2.3", "1..2", "--1", "+-1",
        "1e5.0", " 1", "1 ", "0x1p3", "1d", "1f", "NaN", "inf", "-Infinity", "١٢", "1_000",
        "1,5", "5%", "007", "1.e3", "9".repeat(400))) {
      assertEquals(Cells.NUMBER.matcher(s).matches(), Cells.isNumber(s), "'" + s + "'");
    }
  }

  @Test
  void theScannerAgreesWithTheRegexOnRandomStrings() {
    String alphabet = "0123456789+-.eE x";
    SplittableRandom r = new SplittableRandom(15);
    int numbers = 0;
    for (int k = 0; k < 200_000; k++) {
      StringBuilder b = new StringBuilder();
      for (int i = r.nextInt(8); i >= 0; i--) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String s = b.toString();
      boolean expected = Cells.NUMBER.matcher(s).matches();
      assertEquals(expected, Cells.isNumber(s), "'" + s + "'");
      numbers += expected ? 1 : 0;
    }
    assertTrue(numbers > 10_000, "the random strings include many numbers: " + numbers);
  }

  @Test
  void aSmallShapeIsAFiniteNumberWithinTheFloatRange() {
    // the shape is the scanner's: a number exactly when isNumber; NUMBER_SMALL only for numbers
    // that parse finite and within +-3.4e38 (the statistics pass then need not parse them)
    List<String> edge = List.of("9".repeat(38), "-" + "9".repeat(38) + ".999", "9".repeat(39),
        "0".repeat(50) + "1", "1e5", "1e-400", "1e39", "3.5e38", ".5", "-0", "x", "1e");
    SplittableRandom r = new SplittableRandom(16);
    String alphabet = "0123456789+-.eE";
    List<String> all = new java.util.ArrayList<>(edge);
    for (int k = 0; k < 100_000; k++) {
      StringBuilder b = new StringBuilder();
      for (int i = r.nextInt(45); i >= 0; i--) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      all.add(b.toString());
    }
    int small = 0;
    for (String s : all) {
      int shape = Cells.shape(s);
      assertEquals(Cells.NUMBER.matcher(s).matches(), shape != Cells.NOT_A_NUMBER, "'" + s + "'");
      if (shape == Cells.NUMBER_SMALL) {
        double x = Double.parseDouble(s);
        assertTrue(Double.isFinite(x) && Math.abs(x) < Float.MAX_VALUE, "'" + s + "'");
        small++;
      }
    }
    assertEquals(Cells.NUMBER_SMALL, Cells.shape("9".repeat(38)));
    assertEquals(Cells.NUMBER_ANY_SIZE, Cells.shape("9".repeat(39)));
    assertEquals(Cells.NUMBER_ANY_SIZE, Cells.shape("1e5"));
    assertTrue(small > 1_000, "the random strings include small numbers: " + small);
  }

  @Test
  void numbersAreTheBitsOfParseDouble() {
    // parseSmall's fast path and its fall-back give Double.parseDouble's bits: edge cases, the
    // way floats are written (Float.toString, as generated CSVs hold them), random digit strings
    // around the 15-digit limit
    List<String> edge = List.of("0", "-0", "+0", "0.", "-0.0", ".5", "-.5", "+1", "1.", "007",
        "999999999999999", "9999999999999999", "0.000000000000001", "123456789.012345",
        "1234567890123456", "0.1", "0.2", "0.3", "-4.35", "9007199254740993", "1e5", "1.5E-7",
        "9".repeat(38), "0." + "0".repeat(20) + "1");
    List<String> all = new java.util.ArrayList<>(edge);
    SplittableRandom r = new SplittableRandom(17);
    for (int k = 0; k < 300_000; k++) {
      all.add(Float.toString((float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 6)))));
      all.add(Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(-3, 6))));
      StringBuilder b = new StringBuilder(r.nextBoolean() ? "-" : "");
      int digits = 1 + r.nextInt(18);
      int pointAt = r.nextInt(digits + 1);
      for (int i = 0; i < digits; i++) {
        if (i == pointAt) {
          b.append('.');
        }
        b.append((char) ('0' + r.nextInt(10)));
      }
      all.add(b.toString());
    }
    for (String s : all) {
      Double x = Cells.numberOfText(s);
      double expected = Double.parseDouble(s);
      if (Double.isFinite(expected)) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(x),
            "'" + s + "'");
      }
      if (Cells.shape(s) == Cells.NUMBER_SMALL) {
        assertEquals(Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(Cells.parseSmall(s)), "'" + s + "'");
      }
    }
  }

  @Test
  void cellsReadAsNumbersMissingValuesOrText() {
    assertEquals(2.5, Cells.number(" 2.5 "));
    assertEquals(-1e-3, Cells.number("-1e-3"));
    assertTrue(Cells.number("").isNaN());
    assertTrue(Cells.number("NaN").isNaN());
    assertTrue(Cells.number("-inf").isNaN());
    assertTrue(Cells.number("Infinity").isNaN());
    assertTrue(Cells.number("1e999").isNaN(), "out of range is infinite, so missing");
    assertNull(Cells.number("red"));
    assertNull(Cells.number("0x10"));
    assertTrue(Cells.blank(" nan "));
    assertTrue(Cells.blank(null));
    assertEquals("red", Cells.category(" red "));
    assertEquals("3", Cells.category(3.0));
  }
}
