package io.lowrank.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Saving and loading in Spark ML's layout, so that Spark's own readers (a {@code Pipeline}'s, which read
 * {@code metadata} to find the class and call its static {@code read()}) work with our classes: {@code path/metadata}
 * is one JSON line with {@code class, timestamp, sparkVersion, uid, paramMap, defaultParamMap} (each value encoded by
 * its {@code Param.jsonEncode}), as {@code DefaultParamsWriter} writes it; model data go to Parquet beside it.
 * Spark's own writer and reader are {@code private[ml]}, so the format is written here rather than called.
 */
final class MlIo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final StructType TEXT = new StructType().add("value", DataTypes.StringType, false);

  private MlIo() {}

  /** Writes {@code path/metadata} for {@code instance}. */
  static void saveMetadata(Params instance, String path, SparkSession spark) {
    ObjectNode m = JSON.createObjectNode();
    m.put("class", instance.getClass().getName());
    m.put("timestamp", System.currentTimeMillis());
    m.put("sparkVersion", spark.version());
    m.put("uid", instance.uid());
    m.set("paramMap", encode(instance.paramMap().toList()));
    m.set("defaultParamMap", encode(instance.defaultParamMap().toList()));
    String line;
    try {
      line = JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the metadata of " + instance.uid(), e);
    }
    spark.createDataFrame(List.of(RowFactory.create(line)), TEXT).coalesce(1).write()
        .text(new Path(path, "metadata").toString());
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static ObjectNode encode(List<ParamPair<?>> pairs) {
    ObjectNode out = JSON.createObjectNode();
    for (ParamPair<?> pair : pairs) {
      Param p = pair.param();
      try {
        out.set(p.name(), JSON.readTree(p.jsonEncode(pair.value())));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("param " + p.name() + " encodes to invalid JSON", e);
      }
    }
    return out;
  }

  /**
   * Reads {@code path/metadata}, checks it describes {@code expected}, and sets its params and defaults on
   * {@code instance} (which must have the saved uid).
   */
  static ObjectNode loadMetadata(String path, SparkSession spark, Class<?> expected) {
    String metadataPath = new Path(path, "metadata").toString();
    List<Row> lines;
    try {
      lines = spark.read().text(metadataPath).takeAsList(1);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot read " + metadataPath + " (is " + path + " a saved "
          + expected.getSimpleName() + "?): " + e.getMessage(), e);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(metadataPath + " is empty: " + path + " is not a saved "
          + expected.getSimpleName());
    }
    JsonNode m;
    try {
      m = JSON.readTree(lines.get(0).getString(0));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(metadataPath + " is not JSON: " + e.getOriginalMessage(), e);
    }
    String cls = m.path("class").asText();
    if (!cls.equals(expected.getName())) {
      throw new IllegalArgumentException("Error loading metadata: Expected class name " + expected.getName()
          + " but found class name " + cls);
    }
    return (ObjectNode) m;
  }

  /** The saved uid. */
  static String uid(ObjectNode metadata) {
    return metadata.path("uid").asText();
  }

  /** Sets the saved params, then the saved defaults, on {@code instance} (as Spark's reader does). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static void setParams(Params instance, ObjectNode metadata) {
    for (String section : new String[] {"paramMap", "defaultParamMap"}) {
      Iterator<Map.Entry<String, JsonNode>> it = metadata.path(section).fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        Param p = instance.getParam(e.getKey());
        Object value = p.jsonDecode(e.getValue().toString());
        if (section.equals("paramMap")) {
          instance.set(p, value);
        } else {
          instance.setDefault(p, value);
        }
      }
    }
  }

  /** The writer of an estimator: its metadata only (as {@code DefaultParamsWritable}). */
  static MLWriter paramsWriter(Params instance) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        saveMetadata(instance, path, sparkSession());
      }
    };
  }

  /** The reader of an estimator: a new instance with the saved uid, params and defaults. */
  static <T extends Params> MLReader<T> paramsReader(Class<T> cls) {
    return new MLReader<T>() {
      @Override
      public T load(String path) {
        ObjectNode m = loadMetadata(path, sparkSession(), cls);
        T instance;
        try {
          instance = cls.getConstructor(String.class).newInstance(uid(m));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(cls.getName() + " has no public (String uid) constructor", e);
        }
        setParams(instance, m);
        return instance;
      }
    };
  }
}
