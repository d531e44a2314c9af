package io.sparkmlp.model.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads and writes float32 tensors in the <a href="https://github.com/huggingface/safetensors">
 * safetensors</a> layout, so that Python's {@code safetensors} (or NumPy with a few lines) reads what
 * this class writes:
 * <pre>
 *   u64 little-endian N | N bytes of UTF-8 JSON, space-padded to a multiple of 8 | data section
 *   JSON: {"&lt;name&gt;": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
 *          "__metadata__": {"&lt;key&gt;": "&lt;value&gt;", ...}}
 * </pre>
 * Offsets are relative to the start of the data section; tensors are contiguous, in the order
 * written; elements are little-endian IEEE-754 float32 in row-major order.
 *
 * <p>The reader trusts nothing: it validates the header length against {@link #MAX_HEADER_BYTES} and
 * the file length, then the whole JSON header (dtype, shapes, offsets, contiguity, total size equal
 * to the data section) before allocating any tensor, so a corrupt or hostile header fails fast with
 * a one-line {@link IOException} naming the file and the tensor. Only {@code F32} is supported.
 *
 * <p>Works on plain streams so that any file system (local, HDFS, S3A) can supply them; streams are
 * neither buffered further nor closed here.
 */
public final class SafeTensors {

  /** Largest accepted JSON header, in bytes (100 MiB, as the reference implementation). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  /** Largest element count of one tensor: what a Java {@code float[]} can hold. */
  static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  private static final String DTYPE = "F32";
  private static final int CHUNK_BYTES = 1 << 16;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SafeTensors() {}

  /**
   * Writes {@code file} to {@code out}. The stream is not closed.
   *
   * @throws IOException if the stream fails
   */
  public static void write(TensorFile file, OutputStream out) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(out, "out");
    byte[] header = headerBytes(file);
    ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(header.length);
    out.write(prefix.array());
    out.write(header);
    byte[] chunk = new byte[CHUNK_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (FloatTensor t : file.tensors()) {
      float[] data = t.view();
      for (int pos = 0; pos < data.length; ) {
        int n = Math.min(data.length - pos, CHUNK_BYTES / Float.BYTES);
        buf.clear();
        buf.asFloatBuffer().put(data, pos, n);
        out.write(chunk, 0, n * Float.BYTES);
        pos += n;
      }
    }
  }

  /** Exact number of bytes {@link #write} produces for {@code file}. */
  public static long serializedLength(TensorFile file) {
    long total = Long.BYTES + headerBytes(file).length;
    for (FloatTensor t : file.tensors()) {
      total += (long) t.size() * Float.BYTES;
    }
    return total;
  }

  /** The space-padded JSON header of {@code file}. */
  private static byte[] headerBytes(TensorFile file) {
    ObjectNode root = MAPPER.createObjectNode();
    long offset = 0;
    for (FloatTensor t : file.tensors()) {
      ObjectNode entry = root.putObject(t.name());
      entry.put("dtype", DTYPE);
      ArrayNode shape = entry.putArray("shape");
      t.shape().forEach(shape::add);
      long end = offset + (long) t.size() * Float.BYTES;
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    if (!file.metadata().isEmpty()) {
      ObjectNode meta = root.putObject(TensorFile.METADATA_KEY);
      file.metadata().forEach(meta::put);
    }
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a safetensors header", e);
    }
    int padded = (json.length + 7) & ~7;
    if (padded > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException("safetensors header of " + padded
          + " bytes exceeds the maximum of " + MAX_HEADER_BYTES + " bytes");
    }
    byte[] header = new byte[padded];
    System.arraycopy(json, 0, header, 0, json.length);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  /**
   * Reads a whole safetensors file.
   *
   * @param in     positioned at the first byte of the file; read to exactly {@code length} bytes
   * @param length total length of the file in bytes (e.g. from the file system)
   * @param source name of the file, used in error messages
   * @return the tensors in data order and the metadata
   * @throws IOException naming {@code source} (and the tensor) if the file is malformed, truncated,
   *     has trailing bytes or holds a dtype other than F32
   */
  public static TensorFile read(InputStream in, long length, String source) throws IOException {
    return read(in, length, source, header -> { });
  }

  /**
   * Reads a whole safetensors file, letting the caller vet the header before any data is read.
   *
   * @param in          positioned at the first byte of the file; read to exactly {@code length} bytes
   * @param length      total length of the file in bytes (e.g. from the file system)
   * @param source      name of the file, used in error messages
   * @param headerCheck called with the validated header before tensor data is allocated or read;
   *     may throw (for example when the shapes do not fit an expected model), which aborts the read
   * @return the tensors in data order and the metadata
   * @throws IOException naming {@code source} (and the tensor) if the file is malformed, truncated,
   *     has trailing bytes or holds a dtype other than F32
   */
  public static TensorFile read(InputStream in, long length, String source,
      Consumer<SafeTensorsHeader> headerCheck) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(headerCheck, "headerCheck");
    SafeTensorsHeader header = readHeader(in, length, source);
    headerCheck.accept(header);
    List<FloatTensor> tensors = new ArrayList<>(header.entries().size());
    byte[] chunk = new byte[CHUNK_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (SafeTensorsHeader.Entry e : header.entries()) {
      float[] data = new float[e.elements()];
      for (int pos = 0; pos < data.length; ) {
        int n = Math.min(data.length - pos, CHUNK_BYTES / Float.BYTES);
        int got = in.readNBytes(chunk, 0, n * Float.BYTES);
        if (got != n * Float.BYTES) {
          throw new EOFException(source + ": truncated: the data of tensor '" + e.name()
              + "' ends before its declared end offset " + e.end());
        }
        buf.clear();
        buf.asFloatBuffer().get(data, pos, n);
        pos += n;
      }
      tensors.add(FloatTensor.wrap(e.name(), e.shape(), data));
    }
    if (in.read() != -1) {
      throw new IOException(source + ": has bytes beyond its declared length of " + length);
    }
    return new TensorFile(tensors, header.metadata());
  }

  /**
   * Reads and validates the length prefix and JSON header, leaving {@code in} at the start of the
   * data section. Allocates at most the header itself, which is bounded by both
   * {@link #MAX_HEADER_BYTES} and the file length.
   *
   * @param in     positioned at the first byte of the file
   * @param length total length of the file in bytes
   * @param source name of the file, used in error messages
   * @throws IOException naming {@code source} (and the tensor) if the header is invalid
   */
  public static SafeTensorsHeader readHeader(InputStream in, long length, String source)
      throws IOException {
    if (length < Long.BYTES) {
      throw new IOException(source + ": not a safetensors file: " + length
          + " bytes is too short for the 8-byte header length");
    }
    byte[] prefix = in.readNBytes(Long.BYTES);
    if (prefix.length != Long.BYTES) {
      throw new EOFException(source + ": truncated: file ends inside the 8-byte header length");
    }
    long n = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw new IOException(source + ": header length " + Long.toUnsignedString(n)
          + " exceeds the maximum of " + MAX_HEADER_BYTES + " bytes (corrupt file?)");
    }
    if (n > length - Long.BYTES) {
      throw new IOException(source + ": header length " + n + " exceeds the " + (length - Long.BYTES)
          + " bytes that follow it (truncated or corrupt file)");
    }
    if (n < 2) {
      throw new IOException(source + ": header length " + n + " is too short for a JSON object");
    }
    byte[] bytes = in.readNBytes((int) n);
    if (bytes.length != n) {
      throw new EOFException(source + ": truncated: file ends inside the " + n + "-byte header");
    }
    long dataLength = length - Long.BYTES - n;
    return parseHeader(bytes, dataLength, source);
  }

  private static SafeTensorsHeader parseHeader(byte[] bytes, long dataLength, String source)
      throws IOException {
    if (bytes[0] != '{') {
      throw new IOException(source + ": header does not start with '{'");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IOException(source + ": header is not valid UTF-8", e);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(source + ": header is not valid JSON: "
          + e.getOriginalMessage().replace('\n', ' '), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(source + ": header is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<SafeTensorsHeader.Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(TensorFile.METADATA_KEY)) {
        parseMetadata(field.getValue(), metadata, source);
      } else {
        entries.add(parseEntry(field.getKey(), field.getValue(), dataLength, source));
      }
    }
    entries.sort(Comparator.comparingLong(SafeTensorsHeader.Entry::begin)
        .thenComparingLong(SafeTensorsHeader.Entry::end));
    long expected = 0;
    for (SafeTensorsHeader.Entry e : entries) {
      if (e.begin() != expected) {
        throw new IOException(source + ": tensor '" + e.name() + "' starts at data offset "
            + e.begin() + " but the previous tensor ends at " + expected
            + " (tensors must be contiguous)");
      }
      expected = e.end();
    }
    if (expected != dataLength) {
      throw new IOException(source + ": header describes " + expected
          + " bytes of tensor data but the file holds " + dataLength
          + " after the header (truncated or corrupt file)");
    }
    return new SafeTensorsHeader(bytes.length, entries, metadata);
  }

  private static void parseMetadata(JsonNode node, Map<String, String> metadata, String source)
      throws IOException {
    if (!node.isObject()) {
      throw new IOException(source + ": " + TensorFile.METADATA_KEY + " is not a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> kv = it.next();
      if (!kv.getValue().isTextual()) {
        throw new IOException(source + ": " + TensorFile.METADATA_KEY + " value of '"
            + kv.getKey() + "' is not a string");
      }
      metadata.put(kv.getKey(), kv.getValue().textValue());
    }
  }

  private static SafeTensorsHeader.Entry parseEntry(String name, JsonNode node, long dataLength,
      String source) throws IOException {
    String where = source + ": tensor '" + name + "'";
    if (!node.isObject()) {
      throw new IOException(where + ": header entry is not a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("dtype") && !f.equals("shape") && !f.equals("data_offsets")) {
        throw new IOException(where + ": unknown header field '" + f
            + "' (expected dtype, shape, data_offsets)");
      }
    }
    JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw new IOException(where + ": missing or non-string dtype");
    }
    if (!dtype.textValue().equals(DTYPE)) {
      throw new IOException(where + ": dtype " + dtype.textValue() + " is not supported (only "
          + DTYPE + ")");
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new IOException(where + ": missing or non-array shape");
    }
    List<Integer> shape = new ArrayList<>(shapeNode.size());
    long elements = 1;
    for (JsonNode d : shapeNode) {
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
        throw new IOException(where + ": shape " + shapeNode + " has a dimension that is not a "
            + "non-negative integer");
      }
      long dim = d.longValue();
      if (dim > MAX_ELEMENTS || (dim > 0 && elements > MAX_ELEMENTS / dim)) {
        throw new IOException(where + ": shape " + shapeNode + " has more than " + MAX_ELEMENTS
            + " elements, more than a Java array can hold");
      }
      elements *= dim;
      shape.add((int) dim);
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw new IOException(where + ": data_offsets must be an array [begin, end]");
    }
    long[] be = new long[2];
    for (int i = 0; i < 2; i++) {
      JsonNode o = offsets.get(i);
      if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
        throw new IOException(where + ": data_offsets " + offsets
            + " are not non-negative integers");
      }
      be[i] = o.longValue();
    }
    if (be[1] < be[0]) {
      throw new IOException(where + ": data_offsets " + offsets + " end before they begin");
    }
    long bytes = elements * Float.BYTES;
    if (be[1] - be[0] != bytes) {
      throw new IOException(where + ": data_offsets " + offsets + " span " + (be[1] - be[0])
          + " bytes but shape " + shapeNode + " of F32 needs " + bytes);
    }
    if (be[1] > dataLength) {
      throw new IOException(where + ": data_offsets " + offsets + " extend past the "
          + dataLength + "-byte data section (truncated or corrupt file)");
    }
    return new SafeTensorsHeader.Entry(name, shape, be[0], be[1]);
  }
}
