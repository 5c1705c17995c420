a = "%{ for k, v in m ~}${k}=${v}%{ endfor }"
b = <<-EOT
  x ${y}
  EOT
