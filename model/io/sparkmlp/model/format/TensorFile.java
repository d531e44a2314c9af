package io.sparkmlp.model.format;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The contents of one safetensors file: float32 tensors in data order plus the free-form string
 * metadata of the {@code __metadata__} header entry.
 *
 * @param tensors  tensors in the order their data is stored; names unique
 * @param metadata string key/value pairs, in insertion order (may be empty)
 */
public record TensorFile(List<FloatTensor> tensors, Map<String, String> metadata) {

  /** Name of the reserved header entry that holds the metadata. */
  public static final String METADATA_KEY = "__metadata__";

  /** Copies the collections and checks that tensor names are unique and not reserved. */
  public TensorFile {
    tensors = List.copyOf(Objects.requireNonNull(tensors, "tensors"));
    Set<String> seen = new HashSet<>();
    for (FloatTensor t : tensors) {
      if (t.name().equals(METADATA_KEY)) {
        throw new IllegalArgumentException("tensor name '" + METADATA_KEY + "' is reserved");
      }
      if (!seen.add(t.name())) {
        throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
      }
    }
    Objects.requireNonNull(metadata, "metadata");
    Map<String, String> copy = new LinkedHashMap<>();
    metadata.forEach((k, v) -> {
      if (k == null || v == null) {
        throw new IllegalArgumentException("metadata keys and values must not be null");
      }
      copy.put(k, v);
    });
    metadata = Collections.unmodifiableMap(copy);
  }

  /** The tensor called {@code name}, if any. */
  public Optional<FloatTensor> find(String name) {
    return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
