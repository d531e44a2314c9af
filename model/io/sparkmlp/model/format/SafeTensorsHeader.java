package io.sparkmlp.model.format;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated header of a safetensors file: what {@link SafeTensors#read} knows before it reads
 * (or allocates) any tensor data.
 *
 * @param headerLength length in bytes of the JSON header, padding included
 * @param entries      tensors in data order (ascending offsets, contiguous from 0)
 * @param metadata     the {@code __metadata__} strings (may be empty)
 */
public record SafeTensorsHeader(long headerLength, List<Entry> entries, Map<String, String> metadata) {

  /** Copies the collections. */
  public SafeTensorsHeader {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata)));
  }

  /**
   * One float32 tensor of the header.
   *
   * @param name  tensor name
   * @param shape dimensions, outermost first
   * @param begin offset of the first byte, relative to the start of the data section
   * @param end   offset one past the last byte
   */
  public record Entry(String name, List<Integer> shape, long begin, long end) {
    /** Copies the shape. */
    public Entry {
      Objects.requireNonNull(name, "name");
      shape = List.copyOf(shape);
    }

    /** Number of float32 elements. */
    public int elements() {
      return (int) ((end - begin) / Float.BYTES);
    }
  }

  /** Total length of the data section in bytes. */
  public long dataLength() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
  }

  /** Tensor name to shape, in data order. */
  public Map<String, List<Integer>> shapes() {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (Entry e : entries) {
      m.put(e.name(), e.shape());
    }
    return Collections.unmodifiableMap(m);
  }
}
