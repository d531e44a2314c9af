package io.sparkmlp.trainer;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.storage.BlockId;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/** Lists the broadcast blocks the block managers still hold. */
final class BlockCounter {
  private BlockCounter() {}

  static Set<BlockId> broadcastBlocks(SparkContext sc) {
    return new HashSet<>(JavaConverters.seqAsJavaList(
        sc.env().blockManager().master().getMatchingBlockIds(new IsBroadcast(), true)));
  }

  private static final class IsBroadcast extends AbstractFunction1<BlockId, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(BlockId id) {
      return id.isBroadcast();
    }
  }
}
