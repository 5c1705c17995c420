locals {
  deep = {
    level1 = {
      level2 = {
        level3 = {
          list = [[1, 2], [3, [4, [5, { six = 6 }]]]]
          empty_list = []
          empty_obj  = {}
        }
      }
    }
  }
  colons = {
    "key": "value",
    other: 2,
    "with spaces" = true,
    "dotted.key"  = null,
  }
  trailing_commas = [
    "a",
    "b",
  ]
  mixed_separators = {
    a = 1, b = 2
    c = 3
  }
  expr_keys = {
    (var.key_name) = "dynamic"
    "${var.prefix}_suffix" = "templated"
  }
  tuple_of_objects = [
    { name = "one", value = 1 },
    { name = "two", value = [true, false, null] },
  ]
  list_of_lists = [
    ["sh", "-c", "echo hi"],
    ["CMD-SHELL", "exit 0"],
  ]
}
