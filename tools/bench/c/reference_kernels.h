/*
 * Plain C reference of Myco's int8 kernels (docs/inference.md), written the way TensorFlow
 * Lite's reference_integer_ops read: whole tensors, every filter tap visited with a bounds
 * check, gemmlowp fixed-point requantisation with 64-bit products. No SIMD, no tricks; the
 * benchmark (tools/bench/infer.ts) checks its output equals the Wasm module's byte for byte.
 *
 * Tensors are NHWC int8 with batch 1. Offsets follow TFLite: an input or filter offset is the
 * negated zero point, an output offset the zero point. Each kernel returns its work count, the
 * same number the AssemblyScript kernel returns (in-image multiply-accumulates for conv and
 * fully connected, values touched for the rest).
 */
#ifndef MYCO_REFERENCE_KERNELS_H
#define MYCO_REFERENCE_KERNELS_H

#include <stdint.h>

typedef struct {
    int32_t in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t filter_h, filter_w;
    int32_t filter_c;         /* CONV_2D: input channels per filter */
    int32_t depth_multiplier; /* DEPTHWISE_CONV_2D */
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t input_offset, output_offset, act_min, act_max;
    const int32_t *bias; /* NULL: none */
    const int32_t *multipliers, *shifts;
} ref_conv_params;

typedef struct {
    int32_t batches, in_depth, out_depth;
    int32_t input_offset, filter_offset, output_offset;
    int32_t output_multiplier, output_shift, act_min, act_max;
    const int32_t *bias;                 /* NULL: none */
    const int32_t *multipliers, *shifts; /* NULL: per-tensor output_multiplier / output_shift */
} ref_fc_params;

typedef struct {
    int32_t in_h, in_w, channels, out_h, out_w;
    int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w, act_min, act_max;
} ref_pool_params;

typedef struct {
    int32_t input1_offset, input2_offset, left_shift;
    int32_t input1_multiplier, input1_shift, input2_multiplier, input2_shift;
    int32_t output_multiplier, output_shift, output_offset, act_min, act_max;
} ref_add_params;

typedef struct {
    int32_t input_zero_point, output_offset, output_multiplier, output_shift, act_min, act_max;
} ref_relu_params;

typedef struct {
    int32_t rows, depth, input_multiplier, input_left_shift, diff_min;
} ref_softmax_params;

/* gemmlowp / TFLite fixed point */
int32_t ref_saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
int32_t ref_rounding_divide_by_pot(int32_t x, int exponent);
int32_t ref_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);

uint32_t ref_conv2d(const ref_conv_params *p, const int8_t *input, const int8_t *filter, int8_t *output);
uint32_t ref_depthwise_conv2d(const ref_conv_params *p, const int8_t *input, const int8_t *filter, int8_t *output);
uint32_t ref_fully_connected(const ref_fc_params *p, const int8_t *input, const int8_t *filter, int8_t *output);
uint32_t ref_average_pool(const ref_pool_params *p, const int8_t *input, int8_t *output);
uint32_t ref_max_pool(const ref_pool_params *p, const int8_t *input, int8_t *output);
uint32_t ref_add(const ref_add_params *p, const int8_t *input1, const int8_t *input2, int8_t *output, int32_t len);
uint32_t ref_relu(const ref_relu_params *p, const int8_t *input, int8_t *output, int32_t len);
uint32_t ref_relu6(const int8_t *input, int8_t *output, int32_t len, int32_t lo, int32_t hi);
uint32_t ref_reshape(const int8_t *input, int8_t *output, int32_t len);
uint32_t ref_softmax(const ref_softmax_params *p, const int8_t *input, int8_t *output);

#endif /* MYCO_REFERENCE_KERNELS_H */
