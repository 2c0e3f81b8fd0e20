package io.lowrank.job;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.lowrank.experiment.PhaseRetrievalTrials;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.model.CurvatureKernel;
import io.lowrank.model.DenoisingKernel;
import io.lowrank.model.IntensityKernel;
import io.lowrank.model.SpectralKernel;
import io.lowrank.model.factor.FactorKernel;
import io.lowrank.model.landscape.PaddedCurvatureKernel;
import io.lowrank.model.landscape.TruthScaleKernel;
import io.lowrank.model.landscape.TruthSubgradientKernel;
import io.lowrank.model.sensing.FactorAmplitudeKernel;
import io.lowrank.model.sensing.SensingKernel;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets users run with {@code spark.serializer=org.apache.spark.serializer.KryoSerializer}: the Kryo that Spark
 * ships cannot build Java records, so the records that travel through Spark's data serializer (large pass states in
 * broadcasts, parts of task results, collected trial rows) are written with Java serialisation inside Kryo.
 * {@link SparkSessions} adds this registrator whenever Kryo is the serializer.
 */
public final class KryoRegistration implements KryoRegistrator {
  /** Every record of ours that may cross a JVM boundary through Spark's configured serializer. */
  static final List<Class<?>> RECORDS = List.of(AmplitudeKernel.State.class, CurvatureKernel.State.class,
      IntensityKernel.State.class, SpectralKernel.State.class, DenoisingKernel.State.class,
      DenoisingKernel.RowSlice.class, SensingKernel.State.class, FactorAmplitudeKernel.State.class,
      PhaseRetrievalTrials.Run.class, io.lowrank.experiment.sweep.SweepRow.class, FactorKernel.State.class,
      TruthScaleKernel.State.class, TruthSubgradientKernel.State.class, PaddedCurvatureKernel.State.class);

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> c : RECORDS) {
      kryo.register(c, new JavaSerializer());
    }
  }

  /** Adds this registrator to {@code conf} when its serializer is Kryo (keeping any registrator already set). */
  static void addIfKryo(SparkConf conf) {
    if (!conf.get("spark.serializer", "").endsWith("KryoSerializer")) {
      return;
    }
    String mine = KryoRegistration.class.getName();
    String existing = conf.get("spark.kryo.registrator", "").trim();
    if (!existing.contains(mine)) {
      conf.set("spark.kryo.registrator", existing.isEmpty() ? mine : existing + "," + mine);
    }
  }
}
