/**
 * Data, by role. This package holds what the roles exchange: {@link
 * io.sparkmlp.jobs.data.PreparedData} (rows with a feature vector and an encoded label) and {@link
 * io.sparkmlp.jobs.data.LabelMapping} (a classifier's classes).
 *
 * <ul>
 *   <li>{@code read}: one {@code InputFormat} per {@code data.*.format} (LibSVM, CSV, Parquet,
 *       IDX) behind {@link io.sparkmlp.jobs.data.read.DataReader}; checks every row and returns
 *       {@code PreparedData} or, for table columns, a {@link io.sparkmlp.jobs.data.read.RawTable}.
 *   <li>{@code prep}: what is learned on the training split and applied to every input: missing
 *       values, categories, target scaling ({@link io.sparkmlp.jobs.data.prep.Preparation},
 *       {@link io.sparkmlp.jobs.data.prep.TargetScaler}) and feature standardization
 *       ({@link io.sparkmlp.jobs.data.prep.Standardization}).
 *   <li>{@code score}: the batched forward pass over prepared rows: predictions, metrics and the
 *       report's curves ({@link io.sparkmlp.jobs.data.score.Predictor},
 *       {@link io.sparkmlp.jobs.data.score.Metrics},
 *       {@link io.sparkmlp.jobs.data.score.EvaluationCurves}).
 *   <li>{@code write}: atomic Spark output directories and the predictions file
 *       ({@link io.sparkmlp.jobs.data.write.PredictionWriter}).
 *   <li>{@code generate}: the synthetic teacher-network data
 *       ({@link io.sparkmlp.jobs.data.generate.TeacherData}).
 * </ul>
 *
 * <p>Dependencies go one way: {@code read} uses only this package; {@code prep} uses
 * {@code read}; {@code score} uses {@code prep}; {@code write} uses {@code score} and
 * {@code read}; {@code generate} uses {@code write} and {@code read}.
 */
package io.sparkmlp.jobs.data;
