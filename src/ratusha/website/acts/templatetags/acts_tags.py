from django import template

register = template.Library()


@register.simple_tag
def may_publish(user) -> bool:  # noqa: ANN001
    """The office navigation shows «Рішення на сайті» to those who may publish (selectors decide)."""
    from ratusha.website.acts.selectors import can_manage_publications

    return can_manage_publications(user)
