package io.sparkmlp.trainer;

/** Salts that separate the independent seeded draws made from one seed. */
final class TrainerConstants {
  private TrainerConstants() {}

  /** Train/validation split draw. */
  static final long SPLIT_SALT = 0x5EED_0001L;
  /** Per-epoch step assignment draw (the epoch is added). */
  static final long EPOCH_SALT = 0x5EED_1000_0000L;
}
