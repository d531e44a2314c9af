package io.sparkmlp.trainer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class spark-mlp sends over the wire or spills to disk, so that it runs with
 * {@code spark.kryo.registrationRequired=true}. Packed blocks and partial sums get compact
 * serializers that write the float arrays in bulk.
 */
public final class SparkMlpKryoRegistrator implements KryoRegistrator {

  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(float[].class);
    kryo.register(int[].class);
    kryo.register(long[].class);
    kryo.register(double[].class);
    kryo.register(float[][].class);
    kryo.register(Object[].class);
    kryo.register(PackedBlock.class, new PackedBlockSerializer());
    kryo.register(PackedBlock[].class);
    kryo.register(PartialSums.class, new PartialSumsSerializer());
    kryo.register(PartialSums[].class);
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
        out.writeFloats(b.values());
      } else {
        out.writeFloats(b.features());
      }
      out.writeFloats(b.labels());
      out.writeLongs(b.rowHashes());
    }

    @Override
    public PackedBlock read(Kryo kryo, Input in, Class<PackedBlock> type) {
      int rows = in.readInt();
      int fw = in.readInt();
      int lw = in.readInt();
      long dropped = in.readLong();
      if (in.readBoolean()) {
        int nnz = in.readInt();
        int[] rowPtr = in.readInts(rows + 1);
        int[] colIdx = in.readInts(nnz);
        float[] values = in.readFloats(nnz);
        float[] l = in.readFloats(Math.multiplyExact(rows, lw));
        long[] h = in.readLongs(rows);
        return PackedBlock.sparse(rows, fw, lw, rowPtr, colIdx, values, l, h, dropped);
      }
      float[] f = in.readFloats(Math.multiplyExact(rows, fw));
      float[] l = in.readFloats(Math.multiplyExact(rows, lw));
      long[] h = in.readLongs(rows);
      return new PackedBlock(rows, fw, lw, f, l, h, dropped);
    }
  }

  /** Bulk float serializer for {@link PartialSums}. */
  static final class PartialSumsSerializer extends Serializer<PartialSums> {
    @Override
    public void write(Kryo kryo, Output out, PartialSums s) {
      out.writeInt(s.grad.length);
      out.writeFloats(s.grad);
      out.writeDouble(s.loss);
      out.writeLong(s.count);
    }

    @Override
    public PartialSums read(Kryo kryo, Input in, Class<PartialSums> type) {
      int n = in.readInt();
      float[] g = in.readFloats(n);
      return new PartialSums(g, in.readDouble(), in.readLong());
    }
  }
}
