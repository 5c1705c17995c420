variable "environment" {
  description = "Deployment environment (dev, staging, production)."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "The environment must be one of dev, staging or production."
  }
}

variable "image" {
  description = "Container image; no default on purpose."
  type        = string
}

variable "privileged" {
  type    = bool
  default = false
}

variable "container_ports" {
  type    = list(number)
  default = [80, 443]
}

variable "env" {
  type = map(string)
  default = {
    LOG_LEVEL = "info"
    TZ        = "UTC"
  }
}

variable "sidecars" {
  type = list(object({
    name  = string
    image = string
    port  = optional(number, 9000)
  }))
  default   = []
  nullable  = false
  sensitive = false
}

variable "secret_token" {
  type      = string
  sensitive = true
  default   = null
}
