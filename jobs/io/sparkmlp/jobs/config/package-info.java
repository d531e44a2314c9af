/**
 * The job configuration: one HOCON file (optional) plus {@code --set key=value} overrides,
 * resolved over defaults and fully validated before Spark starts.
 *
 * <ul>
 *   <li>{@link io.sparkmlp.jobs.config.KeyRegistry} defines every key once (type, default,
 *       description, allowed values); {@link io.sparkmlp.jobs.config.ReferenceConf} renders it as
 *       {@code conf/reference.conf}.
 *   <li>{@code ConfigLoader} merges the layers and {@code ConfigReader} validates and converts
 *       values; the {@code DataSection}, {@code NetworkSection} and {@code TrainSection} readers
 *       check each section and the combinations of keys.
 *   <li>{@link io.sparkmlp.jobs.config.JobConfig} is the immutable result, with the derivations the
 *       job needs ({@link io.sparkmlp.jobs.config.JobConfig#networkSpec},
 *       {@link io.sparkmlp.jobs.config.JobConfig#trainerConfig}) and the resolved configuration for
 *       {@code model.json}.
 *   <li>Every problem is a {@link io.sparkmlp.jobs.config.ConfigError}: one line naming the key and
 *       the file or {@code --set} it comes from.
 * </ul>
 */
package io.sparkmlp.jobs.config;
