/**
 * Driver-side optimizers for synchronous data-parallel training: {@link
 * io.sparkmlp.model.optim.Updater} applies, once per step, L2 regularization, global-norm clipping,
 * one of the {@link io.sparkmlp.model.optim.OptimizerKind update rules} with a scheduled learning
 * rate ({@link io.sparkmlp.model.optim.ScheduleKind}) and decoupled weight decay, all over the flat
 * parameter layout of {@link io.sparkmlp.model.ParamLayout}. Pure Java, no Spark.
 */
package io.sparkmlp.model.optim;
