resource "aws_route53_record" "api" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "api.${var.domain}"
  type    = "A"

  alias {
    name                   = aws_lb.main.dns_name
    zone_id                = aws_lb.main.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "txt" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "_verification.${var.domain}"
  type    = "TXT"
  ttl     = 300
  records = ["v=spf1 include:_spf.example.com ~all", "key=\"quoted value\""]
}

data "aws_route53_zone" "main" {
  name         = "${var.domain}."
  private_zone = false
}
