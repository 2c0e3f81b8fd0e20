package io.lowrank.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowrank.experiment.PhaseRetrievalTrials;
import io.lowrank.model.AmplitudeKernel;
import io.lowrank.model.DenoisingKernel;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

/** Users who set Kryo as Spark's serializer: our records travel through it once the registrator is in. */
class KryoRegistrationTest {

  private static <T> T roundTrip(SerializerInstance ser, T value, Class<T> type) {
    ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
    return ser.deserialize(ser.serialize(value, tag), tag);
  }

  @Test
  void recordsRoundTripThroughKryoWithTheRegistrator() {
    SparkConf conf = new SparkConf().set("spark.serializer", KryoSerializer.class.getName());
    KryoRegistration.addIfKryo(conf);
    assertEquals(KryoRegistration.class.getName(), conf.get("spark.kryo.registrator"));
    SerializerInstance ser = new KryoSerializer(conf).newInstance();

    AmplitudeKernel.State state = new AmplitudeKernel.State(new double[] {1, 2, 3}, 0.5, 200);
    AmplitudeKernel.State s2 = roundTrip(ser, state, AmplitudeKernel.State.class);
    assertArrayEquals(state.x(), s2.x(), 0.0);
    assertEquals(0.5, s2.mu(), 0.0);

    DenoisingKernel.RowSlice slice = new DenoisingKernel.RowSlice(7, null, new double[] {4, 5});
    DenoisingKernel.RowSlice slice2 = roundTrip(ser, slice, DenoisingKernel.RowSlice.class);
    assertEquals(7, slice2.start());
    assertArrayEquals(slice.values(), slice2.values(), 0.0);

    PhaseRetrievalTrials.Run run = new PhaseRetrievalTrials.Run("bwgd", 4.0, 10, 1L, 2, "CONVERGED", 9, 1e-12, 0.01);
    assertEquals(run, roundTrip(ser, run, PhaseRetrievalTrials.Run.class));
  }

  @Test
  void anExistingRegistratorIsKeptAndJavaSerializationIsLeftAlone() {
    SparkConf kryo = new SparkConf().set("spark.serializer", KryoSerializer.class.getName())
        .set("spark.kryo.registrator", "com.example.Theirs");
    KryoRegistration.addIfKryo(kryo);
    assertEquals("com.example.Theirs," + KryoRegistration.class.getName(), kryo.get("spark.kryo.registrator"));
    SparkConf java = new SparkConf();
    KryoRegistration.addIfKryo(java);
    assertEquals(false, java.contains("spark.kryo.registrator"));
  }
}
