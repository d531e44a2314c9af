package io.sparkmlp.trainer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class spark-mlp sends over the wire or spills to disk, so that it runs with
 * {@code spark.kryo.registrationRequired=true}. Packed blocks and partial sums get compact
 * serializers that write the float arrays (and the bfloat16 {@code short[]} arrays of
 * {@link TransferPrecision#BFLOAT16}) in bulk.
 */
public final class SparkMlpKryoRegistrator implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(float[].class, new FloatArraySerializer());
    kryo.register(short[].class, new ShortArraySerializer());
    kryo.register(int[].class);
    kryo.register(long[].class);
    kryo.register(double[].class);
    kryo.register(float[][].class);
    kryo.register(Object[].class);
    kryo.register(PackedBlock.class, new PackedBlockSerializer());
    kryo.register(PackedBlock[].class);
    kryo.register(PartialSums.class, new PartialSumsSerializer());
    kryo.register(PartialSums[].class);
    kryo.register(RoundStart.class, new RoundStartSerializer());
    kryo.register(String[].class);
    kryo.register(EvalSums.class);
    kryo.register(EvalSums[].class);
    kryo.register(long[][].class);
    kryo.register(scala.Tuple2.class);
    kryo.register(scala.Tuple2[].class);
    kryo.register(scala.Tuple3.class);
    kryo.register(scala.Tuple3[].class);
    kryo.register(Integer.class);
    kryo.register(Long.class);
    kryo.register(Double.class);
    kryo.register(java.util.ArrayList.class);
    // input rows shipped by parallelize / shuffles before packing
    kryo.register(org.apache.spark.sql.catalyst.expressions.GenericRow.class);
    kryo.register(org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema.class);
    kryo.register(org.apache.spark.sql.Row[].class);
    kryo.register(org.apache.spark.sql.types.StructType.class);
    kryo.register(org.apache.spark.sql.types.StructField.class);
    kryo.register(org.apache.spark.sql.types.StructField[].class);
    kryo.register(org.apache.spark.sql.types.Metadata.class);
    kryo.register(org.apache.spark.ml.linalg.DenseVector.class);
    kryo.register(org.apache.spark.ml.linalg.SparseVector.class);
    kryo.register(org.apache.spark.ml.linalg.Vector[].class);
    kryo.register(org.apache.spark.ml.feature.LabeledPoint.class);
    // Data types inside schemas that Spark ships as task results (Parquet schema inference
    // reads footers in a job); Spark itself registers StructType and the common atomic types.
    kryo.register(org.apache.spark.sql.types.BooleanType$.class);
    kryo.register(org.apache.spark.sql.types.ByteType$.class);
    kryo.register(org.apache.spark.sql.types.ShortType$.class);
    kryo.register(org.apache.spark.sql.types.FloatType$.class);
    kryo.register(org.apache.spark.sql.types.BinaryType$.class);
    kryo.register(org.apache.spark.sql.types.TimestampType$.class);
    kryo.register(org.apache.spark.sql.types.TimestampNTZType$.class);
    kryo.register(org.apache.spark.sql.types.NullType$.class);
    kryo.register(org.apache.spark.sql.types.StringType.class);
    kryo.register(org.apache.spark.sql.types.ArrayType.class);
    kryo.register(org.apache.spark.sql.types.MapType.class);
    kryo.register(org.apache.spark.sql.types.CharType.class);
    kryo.register(org.apache.spark.sql.types.VarcharType.class);
    kryo.register(org.apache.spark.ml.linalg.VectorUDT.class);
    kryo.register(org.apache.spark.ml.linalg.MatrixUDT.class);
  }

  /** Bulk float serializer for {@link PackedBlock}. */
  static final class PackedBlockSerializer extends Serializer<PackedBlock> {
    @Override
    public void write(Kryo kryo, Output out, PackedBlock b) {
      out.writeInt(b.rows());
      out.writeInt(b.featureWidth());
      out.writeInt(b.labelWidth());
      out.writeLong(b.droppedRows());
      out.writeBoolean(b.isSparse());
      if (b.isSparse()) {
        out.writeInt(b.values().length);
        out.writeInts(b.rowPtr());
        out.writeInts(b.colIdx());
        BulkFloats.write(out, b.values());
      } else {
        BulkFloats.write(out, b.features());
      }
      BulkFloats.write(out, b.labels());
      out.writeLongs(b.rowHashes());
      out.writeBoolean(b.weights() != null);
      if (b.weights() != null) {
        BulkFloats.write(out, b.weights());
      }
    }

    @Override
    public PackedBlock read(Kryo kryo, Input in, Class<PackedBlock> type) {
      int rows = in.readInt();
      int fw = in.readInt();
      int lw = in.readInt();
      long dropped = in.readLong();
      boolean sparse = in.readBoolean();
      float[] f = null;
      int[] rowPtr = null;
      int[] colIdx = null;
      float[] values = null;
      if (sparse) {
        int nnz = in.readInt();
        rowPtr = in.readInts(rows + 1);
        colIdx = in.readInts(nnz);
        values = BulkFloats.read(in, nnz);
      } else {
        f = BulkFloats.read(in, Math.multiplyExact(rows, fw));
      }
      float[] l = BulkFloats.read(in, Math.multiplyExact(rows, lw));
      long[] h = in.readLongs(rows);
      float[] w = in.readBoolean() ? BulkFloats.read(in, rows) : null;
      return sparse ? PackedBlock.sparse(rows, fw, lw, rowPtr, colIdx, values, l, w, h, dropped)
          : new PackedBlock(rows, fw, lw, f, l, w, h, dropped);
    }
  }

  /**
   * Bulk serializer for {@link PartialSums}: a flag, the length, the gradient as 4-byte floats or,
   * when {@linkplain PartialSums#isPacked packed}, as 2-byte bfloat16 values, then the sums.
   */
  static final class PartialSumsSerializer extends Serializer<PartialSums> {
    @Override
    public void write(Kryo kryo, Output out, PartialSums s) {
      out.writeBoolean(s.isPacked());
      out.writeInt(s.length());
      if (s.isPacked()) {
        BulkShorts.write(out, s.packed);
      } else {
        BulkFloats.write(out, s.grad);
      }
      out.writeDouble(s.loss);
      out.writeLong(s.count);
      out.writeDouble(s.weightSum);
    }

    @Override
    public PartialSums read(Kryo kryo, Input in, Class<PartialSums> type) {
      boolean packed = in.readBoolean();
      int n = in.readInt();
      float[] g = packed ? null : BulkFloats.read(in, n);
      short[] h = packed ? BulkShorts.read(in, n) : null;
      double loss = in.readDouble();
      long count = in.readLong();
      double weightSum = in.readDouble();
      return packed ? PartialSums.packed(h, loss, count, weightSum)
          : new PartialSums(g, loss, count, weightSum);
    }
  }

  /** Bulk float serializer for {@link RoundStart}. */
  static final class RoundStartSerializer extends Serializer<RoundStart> {
    @Override
    public void write(Kryo kryo, Output out, RoundStart s) {
      out.writeInt(s.values.length);
      BulkFloats.write(out, s.values);
      writeNames(out, s.slotNames);
      out.writeLong(s.step);
      writeNames(out, s.scalarNames);
      out.writeDoubles(s.scalars);
    }

    @Override
    public RoundStart read(Kryo kryo, Input in, Class<RoundStart> type) {
      float[] values = BulkFloats.read(in, in.readInt());
      String[] slots = readNames(in);
      long step = in.readLong();
      String[] scalarNames = readNames(in);
      double[] scalars = in.readDoubles(scalarNames.length);
      return new RoundStart(values, slots, step, scalarNames, scalars);
    }

    private static void writeNames(Output out, String[] names) {
      out.writeInt(names.length);
      for (String n : names) {
        out.writeString(n);
      }
    }

    private static String[] readNames(Input in) {
      String[] names = new String[in.readInt()];
      for (int i = 0; i < names.length; i++) {
        names[i] = in.readString();
      }
      return names;
    }
  }

  /** {@code float[]} (e.g. the broadcast weights) as its length and bulk-copied bytes. */
  static final class FloatArraySerializer extends Serializer<float[]> {
    @Override
    public void write(Kryo kryo, Output out, float[] a) {
      out.writeInt(a.length);
      BulkFloats.write(out, a);
    }

    @Override
    public float[] read(Kryo kryo, Input in, Class<float[]> type) {
      return BulkFloats.read(in, in.readInt());
    }
  }

  /** {@code short[]} (e.g. broadcast bfloat16 weights) as its length and bulk-copied bytes. */
  static final class ShortArraySerializer extends Serializer<short[]> {
    @Override
    public void write(Kryo kryo, Output out, short[] a) {
      out.writeInt(a.length);
      BulkShorts.write(out, a);
    }

    @Override
    public short[] read(Kryo kryo, Input in, Class<short[]> type) {
      return BulkShorts.read(in, in.readInt());
    }
  }

  /** Short arrays as little-endian bytes, copied in chunks like {@link BulkFloats}. */
  static final class BulkShorts {
    private BulkShorts() {}

    private static final int CHUNK_SHORTS = 32 * 1024;
    private static final ThreadLocal<byte[]> BUFFER =
        ThreadLocal.withInitial(() -> new byte[2 * CHUNK_SHORTS]);

    static void write(Output out, short[] a) {
      byte[] buf = BUFFER.get();
      java.nio.ShortBuffer view = java.nio.ByteBuffer.wrap(buf)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      for (int off = 0; off < a.length; off += CHUNK_SHORTS) {
        int n = Math.min(CHUNK_SHORTS, a.length - off);
        view.clear();
        view.put(a, off, n);
        out.writeBytes(buf, 0, 2 * n);
      }
    }

    static short[] read(Input in, int length) {
      if (length < 0) {
        throw new com.esotericsoftware.kryo.KryoException("negative short array length " + length);
      }
      short[] a = new short[length];
      byte[] buf = BUFFER.get();
      java.nio.ShortBuffer view = java.nio.ByteBuffer.wrap(buf)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer();
      for (int off = 0; off < length; off += CHUNK_SHORTS) {
        int n = Math.min(CHUNK_SHORTS, length - off);
        in.readBytes(buf, 0, 2 * n);
        view.clear();
        view.get(a, off, n);
      }
      return a;
    }
  }

  /**
   * Float arrays as little-endian IEEE 754 bytes, copied in 64 KiB chunks through a byte-buffer
   * view (a bulk copy the JIT turns into memory moves). Kryo's own {@code writeFloats} writes one
   * value at a time with a bounds check each, several ms per million floats on each side of every
   * step's weights and gradients.
   */
  static final class BulkFloats {
    private BulkFloats() {}

    private static final int CHUNK_FLOATS = 16 * 1024;
    private static final ThreadLocal<byte[]> BUFFER =
        ThreadLocal.withInitial(() -> new byte[4 * CHUNK_FLOATS]);

    static void write(Output out, float[] a) {
      byte[] buf = BUFFER.get();
      java.nio.FloatBuffer view = java.nio.ByteBuffer.wrap(buf)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (int off = 0; off < a.length; off += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, a.length - off);
        view.clear();
        view.put(a, off, n);
        out.writeBytes(buf, 0, 4 * n);
      }
    }

    static float[] read(Input in, int length) {
      if (length < 0) {
        throw new com.esotericsoftware.kryo.KryoException("negative float array length " + length);
      }
      float[] a = new float[length];
      byte[] buf = BUFFER.get();
      java.nio.FloatBuffer view = java.nio.ByteBuffer.wrap(buf)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (int off = 0; off < length; off += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, length - off);
        in.readBytes(buf, 0, 4 * n);
        view.clear();
        view.get(a, off, n);
      }
      return a;
    }
  }
}
