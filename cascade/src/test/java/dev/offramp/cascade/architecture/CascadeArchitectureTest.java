package dev.offramp.cascade.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The cascade module is the core both sides share: it imports neither the exporter nor the runtime
 * (nor the benchmarks), its packages form no cycle, and each library stays in its room: Jackson
 * (the manifest's JSON) only in {@code bundle}, ONNX Runtime only in {@code exec}.
 */
@AnalyzeClasses(
    packages = "dev.offramp.cascade",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CascadeArchitectureTest {
  private static final String[] OTHER_MODULES = {
    "dev.offramp.exporter..", "dev.offramp.runtime..", "dev.offramp.benchmarks.."
  };

  @ArchTest
  static final ArchRule cascadeImportsNeitherExporterNorRuntime =
      noClasses().should().dependOnClassesThat().resideInAnyPackage(OTHER_MODULES);

  @ArchTest
  static final ArchRule cascadePackagesHaveNoCycles =
      slices().matching("dev.offramp.cascade.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheBundlePackageReadsJson =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.offramp.cascade.bundle..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.fasterxml.jackson..");

  @ArchTest
  static final ArchRule onlyTheExecutorTouchesOnnxRuntime =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.offramp.cascade.exec..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ai.onnxruntime..");

  @ArchTest
  static final ArchRule theBundleFormatDoesNotDependOnItsExecution =
      noClasses()
          .that()
          .resideInAnyPackage("dev.offramp.cascade.bundle..", "dev.offramp.cascade.exit..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.offramp.cascade.exec..", "dev.offramp.cascade.preprocess..");
}
