locals {
  greeting     = "Grüße aus Köln"
  japanese     = "日本語のテキスト"
  emoji        = "deploy 🚀 done ✅"
  accents      = "café naïve façade"
  mixed_escape = "caf\u00e9 \U0001F600"
  rtl          = "שלום עולם"
  math         = "∀x ∈ ℝ: x² ≥ 0"
  tags = {
    "Beschreibung" = "Prüfung"
    "名前"           = "テスト"
  }
}

resource "aws_ecs_task_definition" "unicode" {
  family = "unicode-ünïcödé"
  container_definitions = jsonencode([{
    name  = "app"
    image = "nginx"
    environment = [
      { name = "GREETING", value = "¡Hola, señor!" },
      { name = "QUOTES", value = "“smart” ‘quotes’ — dash" },
    ]
  }])
}

variable "ünicode_name" {
  default = "ok"
}
