// Loaded by `jobs/lowrank shell` before the prompt: the session objects spark-shell defines, and our packages.
import org.apache.spark.api.java.JavaSparkContext
import org.apache.spark.storage.StorageLevel
import io.lowrank.data._, io.lowrank.io._, io.lowrank.engine._, io.lowrank.run._, io.lowrank.solve._, io.lowrank.solve.phase._
import io.lowrank.ml._

val spark = io.lowrank.job.SparkSessions.create(null, "lowrank shell") // -Dspark.master=... or local[*]
val sc = spark.sparkContext
val jsc = JavaSparkContext.fromSparkContext(sc)
println(s"lowrank shell: Spark ${spark.version}, master ${sc.master}, BLAS ${io.lowrank.linalg.Linalg.blasName()}; spark, sc, jsc defined")
