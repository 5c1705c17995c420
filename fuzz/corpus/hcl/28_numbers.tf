locals {
  integer        = 42
  zero           = 0
  negative       = -17
  float          = 3.14159
  trailing_zeros = 2.50
  exponent       = 1e3
  exponent_upper = 6.02E23
  exponent_neg   = 1.5e-7
  exponent_plus  = 2e+2
  leading_zeros  = 007
  big            = 12345678901234567890123
  precise        = 0.1000000000000000055511151231257827
  neg_float      = -0.5
  neg_zero       = -0
  cpu_units      = [256, 512, 1024, 2048, 4096]
  ratios         = { low = 0.25, high = 0.75, max = 1.0 }
  percent        = 99.99
  in_template    = "cpu=${1024} mem=${2048.0} ratio=${0.50}"
  math           = 1024 * 2 + 512 / 4 - 3 % 2
}
