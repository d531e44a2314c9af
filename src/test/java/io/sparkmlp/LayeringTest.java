package io.sparkmlp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of the whole code base: jobs use the trainer, the trainer uses the model, never the
 * other way round; the Spark ML face (ml) uses all three and nothing uses it; and no package (at
 * any depth) takes part in a dependency cycle.
 */
class LayeringTest {
  private static final JavaClasses PRODUCTION = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sparkmlp");

  @Test
  void productionClassesAreImported() {
    assertTrue(PRODUCTION.containPackage("io.sparkmlp.jobs")
        && PRODUCTION.containPackage("io.sparkmlp.trainer")
        && PRODUCTION.containPackage("io.sparkmlp.model"), "all three layers were imported");
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.sparkmlp.(**)").should().beFreeOfCycles()
        .because("a package cycle makes both packages one unit that cannot be read, tested or "
            + "replaced alone")
        .check(PRODUCTION);
  }

  @Test
  void trainerNeverUsesJobs() {
    noClasses().that().resideInAPackage("io.sparkmlp.trainer..")
        .should().dependOnClassesThat().resideInAPackage("io.sparkmlp.jobs..")
        .because("the trainer is a library: the command-line jobs build on it, not the reverse")
        .check(PRODUCTION);
  }

  @Test
  void modelNeverUsesTrainerOrJobs() {
    noClasses().that().resideInAPackage("io.sparkmlp.model..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.sparkmlp.trainer..", "io.sparkmlp.jobs..")
        .because("the numeric core is shipped to executors and used without Spark")
        .check(PRODUCTION);
  }

  @Test
  void nothingBelowUsesTheSparkMlFace() {
    noClasses().that().resideInAnyPackage("io.sparkmlp.model..", "io.sparkmlp.trainer..",
            "io.sparkmlp.jobs..")
        .should().dependOnClassesThat().resideInAPackage("io.sparkmlp.ml..")
        .because("the Spark ML estimators are a face over the trainer and the prediction path, "
            + "like the command line; neither depends on the other")
        .check(PRODUCTION);
  }

  @Test
  void configurationNeverUsesTheDataCode() {
    noClasses().that().resideInAPackage("io.sparkmlp.jobs.config..")
        .should().dependOnClassesThat().resideInAPackage("io.sparkmlp.jobs.data..")
        .because("the configuration describes inputs (DataSource) and generated data "
            + "(TeacherSettings); the readers and the generator consume those descriptions")
        .check(PRODUCTION);
  }
}
