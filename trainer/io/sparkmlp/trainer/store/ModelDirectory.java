package io.sparkmlp.trainer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.format.FloatTensor;
import io.sparkmlp.model.format.ModelWeights;
import io.sparkmlp.model.format.SafeTensors;
import io.sparkmlp.model.format.TensorFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads a {@link SavedModel} as a directory on any Hadoop file system (local, HDFS, S3A):
 * <pre>
 *   &lt;path&gt;/model.json            format version, spec, label mapping, standardization, feature
 *                               names, config, provenance, metrics (pretty-printed JSON)
 *   &lt;path&gt;/weights.safetensors   layers.&lt;l&gt;.weight [out, in] and layers.&lt;l&gt;.bias [out], float32
 * </pre>
 * Both files are plain formats that Python reads with {@code json} and {@code safetensors} (or
 * NumPy); nothing uses Java serialization.
 *
 * <p>Saving goes through {@link AtomicWrite}: a temporary sibling directory renamed into place, so
 * readers never see a half-written model; a replaced model is set aside until the new one is in
 * place and put back if that fails, or by the next save or load of the path if the process was
 * killed in between; a load while another run is between its two renames waits for the new model
 * ({@link AtomicWrite#readable}). A concurrent save of the same path fails with
 * {@link ConcurrentWriteException}.
 *
 * <p>A save may add further files (such as the HTML training report) to the same temporary
 * directory, so that they appear together with the model; loading ignores them.
 *
 * <p>On the local file system the checksum layer is bypassed ({@code .crc} side files are neither
 * written nor verified), so the directory holds exactly the files written.
 */
public final class ModelDirectory {

  /** The format version this build writes and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  /** Name of the metadata file inside a model directory. */
  public static final String MODEL_JSON = "model.json";

  /** Name of the weights file inside a model directory. */
  public static final String WEIGHTS_FILE = "weights.safetensors";

  private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);

  private ModelDirectory() {}

  /**
   * Writes {@code model} to the directory {@code path}.
   *
   * @param model      the model; its format version must be {@link #FORMAT_VERSION}
   * @param path       target directory (any Hadoop URI or a local path); its parent is created if
   *                   needed
   * @param overwrite  whether an existing model directory (or empty directory) may be replaced;
   *                   a regular file or a non-empty directory without {@code model.json} is never
   *                   replaced
   * @param hadoopConf Hadoop configuration used to resolve the file system
   * @throws FileAlreadyExistsException if {@code path} exists and {@code overwrite} is false
   * @throws IOException                if writing or renaming fails, {@code path} exists but is
   *                                    not a model directory, or a weight is NaN or infinite; no
   *                                    temporary directory is left behind
   */
  public static void save(SavedModel model, String path, boolean overwrite, Configuration hadoopConf)
      throws IOException {
    save(model, path, overwrite, hadoopConf, Map.of());
  }

  /**
   * Writes {@code model} to the directory {@code path} together with {@code extraFiles}, all in the
   * temporary directory that is renamed into place: the extra files appear with the model or not
   * at all. Otherwise as {@link #save(SavedModel, String, boolean, Configuration)}.
   *
   * @param extraFiles file name (no directory part, neither {@value #MODEL_JSON} nor
   *                   {@value #WEIGHTS_FILE}) to content
   * @throws IllegalArgumentException if an extra file name is not a plain, new file name
   */
  public static void save(SavedModel model, String path, boolean overwrite,
      Configuration hadoopConf, Map<String, byte[]> extraFiles) throws IOException {
    Objects.requireNonNull(extraFiles, "extraFiles");
    for (String name : extraFiles.keySet()) {
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")
          || name.equals(MODEL_JSON) || name.equals(WEIGHTS_FILE)) {
        throw new IllegalArgumentException("extra file name '" + name
            + "' must be a plain file name other than " + MODEL_JSON + " and " + WEIGHTS_FILE);
      }
    }
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hadoopConf, "hadoopConf");
    if (model.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException("this build writes model format version " + FORMAT_VERSION
          + ", not " + model.formatVersion());
    }
    Path raw = new Path(path);
    FileSystem fs = fileSystem(raw, hadoopConf);
    Path target = fs.makeQualified(raw);
    Path parent = target.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot save a model as the root directory " + target);
    }
    List<FloatTensor> named = ModelWeights.toTensors(new ParamLayout(model.spec()), model.params());
    try {
      ModelWeights.requireFinite(named, target + ": refusing to save the model");
    } catch (IllegalArgumentException e) {
      // not chained: the one-line error reporting would prefer the message without the path
      throw new IOException(e.getMessage());
    }
    checkTarget(fs, target, overwrite);
    AtomicWrite.write(fs, target, "model", existing -> checkTarget(fs, existing, overwrite),
        tmp -> {
          if (!fs.mkdirs(tmp)) {
            throw new IOException("cannot create temporary directory " + tmp);
          }
          writeWeights(fs, new Path(tmp, WEIGHTS_FILE), model);
          writeModelJson(fs, new Path(tmp, MODEL_JSON), model);
          for (Map.Entry<String, byte[]> e : extraFiles.entrySet()) {
            try (OutputStream out = fs.create(new Path(tmp, e.getKey()), false)) {
              out.write(e.getValue());
            }
          }
        });
    LOG.info("Saved model {} ({} parameters) to {}", model.spec().describe(),
        new ParamLayout(model.spec()).size(), target);
  }

  /**
   * The content of {@code model.json} for {@code model}: the tree {@link #save} writes, for
   * tools that render a model's metadata (such as its report).
   *
   * @param model the model
   * @return a new JSON tree the caller may change
   */
  public static ObjectNode modelJson(SavedModel model) {
    return ModelJson.normalize(ModelJson.toJson(Objects.requireNonNull(model, "model")),
        MODEL_JSON);
  }

  /**
   * Reads the model directory {@code path}, checking the format version, that both files exist,
   * the weights against the spec, and the label mapping and standardization against the spec.
   *
   * @param path       model directory (any Hadoop URI or a local path)
   * @param hadoopConf Hadoop configuration used to resolve the file system
   * @return the model, with format version {@link #FORMAT_VERSION}
   * @throws FileNotFoundException if the directory, {@code model.json} or the weights are missing
   * @throws IOException           naming the file (and field or tensor) if anything is malformed,
   *                               of an unknown format version or inconsistent with the spec
   */
  public static SavedModel load(String path, Configuration hadoopConf) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hadoopConf, "hadoopConf");
    Path raw = new Path(path);
    FileSystem fs = fileSystem(raw, hadoopConf);
    Path dir = AtomicWrite.readable(fs, fs.makeQualified(raw), "model");
    FileStatus status = statusOrNull(fs, dir);
    if (status == null) {
      throw new FileNotFoundException("model directory " + dir + " does not exist");
    }
    if (!status.isDirectory()) {
      throw new IOException(dir + " is a file, not a model directory");
    }
    Path jsonPath = new Path(dir, MODEL_JSON);
    if (statusOrNull(fs, jsonPath) == null) {
      throw new FileNotFoundException("missing " + jsonPath + " (not a spark-mlp model directory?)");
    }
    JsonNode root;
    try (InputStream in = fs.open(jsonPath)) {
      root = ModelJson.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new IOException(jsonPath + ": not valid JSON: "
          + e.getOriginalMessage().replace('\n', ' '), e);
    }
    ModelJson.Manifest manifest;
    try {
      int version = ModelJson.formatVersion(root);
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("format version " + version
            + " is not supported (this build reads version " + FORMAT_VERSION + ")");
      }
      manifest = ModelJson.fromJson(root);
    } catch (IllegalArgumentException e) {
      // not chained: the one-line error reporting prefers a nested IllegalArgumentException's
      // message, which would drop the file name
      IOException io = new IOException(jsonPath + ": " + e.getMessage());
      io.setStackTrace(e.getStackTrace());
      throw io;
    }
    Path weightsPath = new Path(dir, WEIGHTS_FILE);
    FileStatus weightsStatus = statusOrNull(fs, weightsPath);
    if (weightsStatus == null) {
      throw new FileNotFoundException("missing weights file " + weightsPath);
    }
    String source = weightsPath.toString();
    ParamLayout layout = new ParamLayout(manifest.spec());
    float[] params;
    try (InputStream in = fs.open(weightsPath)) {
      TensorFile weights = SafeTensors.read(in, weightsStatus.getLen(), source,
          header -> ModelWeights.checkShapes(layout, header.shapes(), source));
      params = ModelWeights.toParams(layout, weights.tensors(), source);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    return manifest.withParams(params);
  }

  /** The file system of {@code path}; for local paths the raw one, without {@code .crc} files. */
  private static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  private static FileStatus statusOrNull(FileSystem fs, Path p) throws IOException {
    try {
      return fs.getFileStatus(p);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /**
   * Refuses an existing {@code target} unless {@code overwrite} and it is a model directory or an
   * empty directory.
   *
   * @return whether {@code target} exists
   */
  private static boolean checkTarget(FileSystem fs, Path target, boolean overwrite)
      throws IOException {
    FileStatus st = statusOrNull(fs, target);
    if (st == null) {
      return false;
    }
    if (!overwrite) {
      throw new FileAlreadyExistsException(
          "model directory " + target + " already exists; save with overwrite to replace it");
    }
    if (!st.isDirectory()) {
      throw new IOException(target + " exists and is a file; refusing to replace it with a model");
    }
    if (statusOrNull(fs, new Path(target, MODEL_JSON)) == null
        && fs.listStatus(target).length > 0) {
      throw new IOException(target + " exists and is not a model directory (no " + MODEL_JSON
          + "); refusing to overwrite it");
    }
    return true;
  }

  private static void writeWeights(FileSystem fs, Path file, SavedModel model) throws IOException {
    ParamLayout layout = new ParamLayout(model.spec());
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("producer", "spark-mlp");
    metadata.put("format_version", Integer.toString(model.formatVersion()));
    metadata.put("network", model.spec().describe());
    TensorFile tensors = new TensorFile(ModelWeights.toTensors(layout, model.params()), metadata);
    try (OutputStream out = fs.create(file, false)) {
      SafeTensors.write(tensors, out);
    }
  }

  private static void writeModelJson(FileSystem fs, Path file, SavedModel model)
      throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      ModelJson.MAPPER.writeValue(out, ModelJson.toJson(model));
      out.write('\n');
    }
  }
}
