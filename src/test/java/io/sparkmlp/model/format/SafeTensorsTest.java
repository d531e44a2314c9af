package io.sparkmlp.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {

  private static final String SRC = "mem://weights.safetensors";

  private static byte[] write(TensorFile f) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SafeTensors.write(f, out);
    return out.toByteArray();
  }

  private static TensorFile read(byte[] bytes) throws IOException {
    return SafeTensors.read(new ByteArrayInputStream(bytes), bytes.length, SRC);
  }

  /** A file with the given raw JSON header (padded) and {@code dataBytes} zero bytes of data. */
  private static byte[] rawFile(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    int n = (h.length + 7) & ~7;
    ByteBuffer b = ByteBuffer.allocate(8 + n + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(n).put(h);
    for (int i = h.length; i < n; i++) {
      b.put((byte) ' ');
    }
    return b.array();
  }

  private static IOException readFails(byte[] bytes) {
    return assertThrows(IOException.class, () -> read(bytes));
  }

  private static void assertMessage(Throwable e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
    }
    assertTrue(!e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
  }

  @Test
  void roundTripIsBitExact() throws IOException {
    Random r = new Random(7);
    float[] big = new float[40_000]; // spans several write/read chunks
    for (int i = 0; i < big.length; i++) {
      big[i] = Float.intBitsToFloat(r.nextInt());
    }
    float[] special = {-0f, 0f, Float.NaN, Float.intBitsToFloat(0x7fc01234), Float.MIN_VALUE,
        Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 1e-40f};
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "spark-mlp");
    meta.put("note", "ünïcödé \"quoted\"");
    TensorFile f = new TensorFile(List.of(
        new FloatTensor("big", List.of(200, 200), big),
        new FloatTensor("special", List.of(2, 2, 2), special),
        new FloatTensor("empty", List.of(0, 3), new float[0]),
        new FloatTensor("scalar", List.of(), new float[] {3.5f})), meta);
    byte[] bytes = write(f);
    assertEquals(SafeTensors.serializedLength(f), bytes.length);
    TensorFile back = read(bytes);
    assertEquals(f, back);
    for (int i = 0; i < special.length; i++) {
      assertEquals(Float.floatToRawIntBits(special[i]),
          Float.floatToRawIntBits(back.find("special").orElseThrow().data()[i]));
    }
    assertEquals(List.copyOf(meta.keySet()), List.copyOf(back.metadata().keySet()));
  }

  @Test
  void layoutIsWhatPythonSafetensorsReads() throws IOException {
    TensorFile f = new TensorFile(List.of(
        new FloatTensor("layers.0.weight", List.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}),
        new FloatTensor("layers.0.bias", List.of(2), new float[] {-0.5f, 0.25f})),
        Map.of("format", "pt"));
    byte[] b = write(f);
    String json = "{\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
        + "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
        + "\"__metadata__\":{\"format\":\"pt\"}}";
    int n = (json.length() + 7) / 8 * 8;
    // u64 little-endian header length, a multiple of 8
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(n, le.getLong(0));
    assertEquals(0, n % 8);
    for (int i = 0; i < 8; i++) {
      assertEquals((byte) ((long) n >>> (8 * i)), b[i], "length byte " + i);
    }
    // compact JSON, then space padding
    String header = new String(b, 8, n, StandardCharsets.UTF_8);
    assertEquals(json, header.stripTrailing());
    assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '));
    JsonNode parsed = new ObjectMapper().readTree(header);
    assertEquals("[0,24]", parsed.get("layers.0.weight").get("data_offsets").toString());
    // little-endian float32 data right after the header: 1.0f = 00 00 80 3f
    assertEquals(8 + n + 32, b.length);
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(b, 8 + n, 8 + n + 4));
    float[] data = new float[8];
    le.position(8 + n);
    le.asFloatBuffer().get(data);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, -0.5f, 0.25f}, data);
  }

  @Test
  void readsFilesWhoseJsonOrderDiffersFromDataOrder() throws IOException {
    // As other writers may produce: metadata first, keys not in offset order, no padding needed.
    String json = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
        + "\"a\":{\"shape\":[2],\"data_offsets\":[0,8],\"dtype\":\"F32\"}}";
    byte[] bytes = rawFile(json, 12);
    int data = bytes.length - 12;
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(data, 1f).putFloat(data + 4, 2f).putFloat(data + 8, 3f);
    TensorFile f = read(bytes);
    assertEquals(List.of("a", "b"), f.tensors().stream().map(FloatTensor::name).toList());
    assertArrayEquals(new float[] {1f, 2f}, f.find("a").orElseThrow().data());
    assertArrayEquals(new float[] {3f}, f.find("b").orElseThrow().data());
    assertEquals(Map.of("format", "pt"), f.metadata());
  }

  @Test
  void headerCheckRunsBeforeData() {
    TensorFile f = new TensorFile(List.of(new FloatTensor("x", List.of(1), new float[] {1})),
        Map.of());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
      byte[] bytes = write(f);
      // Data section cut off: only a header check that runs first can see the shapes.
      SafeTensors.read(new ByteArrayInputStream(bytes, 0, bytes.length - 4), bytes.length, SRC,
          h -> {
            throw new IllegalStateException("saw " + h.shapes());
          });
    });
    assertEquals("saw {x=[1]}", e.getMessage());
  }

  @Test
  void absurdHeaderLengthFailsFast() {
    for (long n : new long[] {1L << 62, -1L, SafeTensors.MAX_HEADER_BYTES + 8}) {
      byte[] b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
      IOException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> readFails(b));
      assertMessage(e, SRC, "header length " + Long.toUnsignedString(n), "exceeds the maximum");
    }
  }

  @Test
  void headerLongerThanFileFails() {
    byte[] b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array();
    assertMessage(readFails(b), SRC, "header length 1000 exceeds the 56 bytes");
  }

  @Test
  void tooShortFileFails() {
    assertMessage(readFails(new byte[5]), SRC, "too short");
  }

  @Test
  void absurdShapesFailFastWithoutAllocating() {
    // 2^40 elements: more than any array.
    byte[] huge = rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776],"
        + "\"data_offsets\":[0,4398046511104]}}", 8);
    assertMessage(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> readFails(huge)),
        SRC, "tensor 'w'", "more than");
    // A product that overflows a long.
    byte[] overflow = rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],"
        + "\"data_offsets\":[0,8]}}", 8);
    assertMessage(readFails(overflow), SRC, "tensor 'w'", "more than");
    // A plausible 1 GiB tensor that the file does not hold: rejected before allocating 1 GiB.
    byte[] big = rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[268435456],"
        + "\"data_offsets\":[0,1073741824]}}", 8);
    assertMessage(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> readFails(big)),
        SRC, "tensor 'w'", "extend past the 8-byte data section");
  }

  @Test
  void inconsistentHeadersFail() {
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],"
        + "\"data_offsets\":[0,4]}}", 4)), SRC, "tensor 'w'", "dtype F16 is not supported");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],"
        + "\"data_offsets\":[0,8]}}", 8)), SRC, "tensor 'w'", "span 8 bytes", "needs 12");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],"
        + "\"data_offsets\":[0,8]}}", 8)), SRC, "tensor 'w'", "non-negative integer");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],"
        + "\"data_offsets\":[0,8]}}", 8)), SRC, "tensor 'w'", "non-negative integer");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
        + "\"data_offsets\":[8,0]}}", 8)), SRC, "tensor 'w'", "end before they begin");
    assertMessage(readFails(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12)),
        SRC, "tensor 'b'", "starts at data offset 8", "contiguous");
    assertMessage(readFails(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)),
        SRC, "tensor 'b'", "contiguous");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
        + "\"data_offsets\":[0,4]}}", 8)), SRC, "describes 4 bytes", "holds 8");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
        + "\"data_offsets\":[0,4],\"extra\":1}}", 4)), SRC, "tensor 'w'", "unknown header field");
    assertMessage(readFails(rawFile("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)),
        SRC, "tensor 'w'", "data_offsets");
    assertMessage(readFails(rawFile("{\"__metadata__\":{\"k\":1}}", 0)), SRC, "not a string");
  }

  @Test
  void malformedJsonFails() {
    assertMessage(readFails(rawFile("{\"w\":", 0)), SRC, "not valid JSON");
    assertMessage(readFails(rawFile("[1,2]", 0)), SRC, "does not start with '{'");
    assertMessage(readFails(rawFile("{} {}", 0)), SRC, "not valid JSON");
    assertMessage(readFails(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0)),
        SRC, "not valid JSON", "Duplicate field 'a'");
    byte[] badUtf8 = rawFile("{\"x\":\"\"}", 0);
    badUtf8[14] = (byte) 0xff;
    assertMessage(readFails(badUtf8), SRC, "not valid UTF-8");
  }

  @Test
  void truncatedOrOverlongStreamsFail() throws IOException {
    TensorFile f = new TensorFile(List.of(new FloatTensor("x", List.of(4), new float[4])), Map.of());
    byte[] bytes = write(f);
    // Declared length right, stream short: detected while reading data.
    IOException e = assertThrows(IOException.class, () -> SafeTensors.read(
        new ByteArrayInputStream(bytes, 0, bytes.length - 3), bytes.length, SRC));
    assertMessage(e, SRC, "truncated", "tensor 'x'");
    // Truncated file (the length comes from the file system): detected from the header.
    assertMessage(readFails(Arrays.copyOf(bytes, bytes.length - 4)), SRC, "tensor 'x'",
        "extend past the 12-byte data section", "truncated");
    // Stream longer than declared.
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    e = assertThrows(IOException.class, () -> SafeTensors.read(
        new ByteArrayInputStream(longer), bytes.length, SRC));
    assertMessage(e, SRC, "beyond its declared length");
  }

  @Test
  void invalidTensorsAreRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new FloatTensor("w", List.of(2, 2), new float[3]));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatTensor("w", List.of(-1), new float[0]));
    FloatTensor t = new FloatTensor("w", List.of(1), new float[1]);
    assertThrows(IllegalArgumentException.class, () -> new TensorFile(List.of(t, t), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new TensorFile(
        List.of(new FloatTensor(TensorFile.METADATA_KEY, List.of(1), new float[1])), Map.of()));
  }

  @Test
  void tensorsAreImmutable() {
    float[] data = {1, 2};
    FloatTensor t = new FloatTensor("w", List.of(2), data);
    data[0] = 9;
    t.data()[1] = 9;
    assertArrayEquals(new float[] {1, 2}, t.data());
  }

  @Test
  void headerEntriesKeepDataOrder() throws IOException {
    TensorFile f = new TensorFile(List.of(
        new FloatTensor("z", List.of(1), new float[1]),
        new FloatTensor("a", List.of(3), new float[3])), Map.of());
    byte[] bytes = write(f);
    SafeTensorsHeader h = SafeTensors.readHeader(new ByteArrayInputStream(bytes), bytes.length, SRC);
    Iterator<SafeTensorsHeader.Entry> it = h.entries().iterator();
    SafeTensorsHeader.Entry z = it.next();
    SafeTensorsHeader.Entry a = it.next();
    assertEquals(List.of("z", 0L, 4L), List.of(z.name(), z.begin(), z.end()));
    assertEquals(List.of("a", 4L, 16L), List.of(a.name(), a.begin(), a.end()));
    assertEquals(16, h.dataLength());
  }
}
