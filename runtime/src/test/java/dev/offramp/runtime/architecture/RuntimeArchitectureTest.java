package dev.offramp.runtime.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The runtime's rooms: its packages form no cycle (components depend downwards on {@code settings},
 * {@code lifecycle}, {@code text} and the cascade; {@code config} composes the components'
 * settings; the root package and {@code cli} compose everything), configuration is read one way,
 * and only the command line uses picocli.
 *
 * <p>That the runtime never imports the exporter or the benchmarks is not repeated here: the
 * runtime's class path holds neither, so such a rule could not fail in this module; the benchmarks'
 * {@code ModuleArchitectureTest}, which sees every module, holds it.
 */
@AnalyzeClasses(
    packages = "dev.offramp.runtime",
    importOptions = ImportOption.DoNotIncludeTests.class)
class RuntimeArchitectureTest {
  @ArchTest
  static final ArchRule runtimePackagesHaveNoCycles =
      slices().matching("dev.offramp.runtime.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheCommandLineUsesPicocli =
      classes()
          .that()
          .resideOutsideOfPackage("dev.offramp.runtime.cli..")
          .should()
          .onlyDependOnClassesThat(not(resideInAPackage("picocli..")));

  @ArchTest
  static final ArchRule settingsDependOnNothingInTheRuntime =
      classes()
          .that()
          .resideInAPackage("dev.offramp.runtime.settings..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.offramp.runtime.settings..",
              "dev.offramp.cascade.text..",
              "com.fasterxml.jackson..",
              "java..");

  @ArchTest
  static final ArchRule onlyTheCompositionReadsTheWholeConfiguration =
      noClasses()
          .that()
          .resideInAPackage("dev.offramp.runtime..")
          .and()
          .resideOutsideOfPackages(
              "dev.offramp.runtime", "dev.offramp.runtime.config..", "dev.offramp.runtime.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.offramp.runtime.config..");

  @ArchTest
  static final ArchRule pipelineNeverPointsAtItsConsumers =
      noClasses()
          .that()
          .resideInAPackage("dev.offramp.runtime.pipeline..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.offramp.runtime.bundle..",
              "dev.offramp.runtime.http..",
              "dev.offramp.runtime.mqtt..",
              "dev.offramp.runtime.budget..",
              "dev.offramp.runtime.config..");
}
