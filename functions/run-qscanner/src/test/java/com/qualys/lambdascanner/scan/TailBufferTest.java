package com.qualys.lambdascanner.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

  @Test
  void tail_whenMoreWrittenThanCapacity_keepsOnlyTheEnd() {
    TailBuffer sut = new TailBuffer(8);
    byte[] data = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    sut.write(data, 0, 10);
    sut.write(data, 10, 6);

    assertThat(sut.tail(100)).isEqualTo("89abcdef");
    assertThat(sut.tail(3)).isEqualTo("def");
    assertThat(sut.totalBytes()).isEqualTo(16);
  }

  @Test
  void tail_whenOneWriteIsLargerThanCapacity_keepsItsEnd() {
    TailBuffer sut = new TailBuffer(4);
    byte[] data = "abcdefghij".getBytes(StandardCharsets.UTF_8);

    sut.write(data, 0, 3);
    sut.write(data, 2, 8);

    assertThat(sut.tail(100)).isEqualTo("ghij");
    assertThat(sut.totalBytes()).isEqualTo(11);
  }
}
