package io.sparkmlp.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The model kernel is shipped to executors and used in plain JVM tests: it must not depend on
 * Spark or Scala (the trainer layer adapts between them).
 */
class ModelArchitectureTest {
  private static final JavaClasses MODEL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sparkmlp.model");

  @Test
  void modelDoesNotDependOnSparkOrScala() {
    assertTrue(MODEL.contain(Mlp.class) && MODEL.contain(Kernels.class),
        "the production model classes were imported");
    ArchRule rule = noClasses().that().resideInAPackage("io.sparkmlp.model..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
        .because("the model kernel must run without Spark (executors ship only weights and specs)");
    rule.check(MODEL);
  }
}
