from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waakvlam.attention.configuration import ActiveConfiguration
from waakvlam.attention.models import MAX_REASON, TakeUp


class TakeUpForm(forms.Form):
    how = forms.ChoiceField(label=_("Hoe pakt u het op?"), choices=TakeUp.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Toelichting (optioneel)"), max_length=MAX_REASON, required=False)


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom is geen actie nodig?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Het punt komt pas terug als er een nieuw signaal over dit huishouden binnenkomt."),
    )


class ConfigurationForm(forms.Form):
    """One checkbox per rule and one number field per parameter, bounded as the rule declares."""

    note = forms.CharField(label=_("Waarom deze wijziging?"), max_length=300, required=False)

    def __init__(self, *args: Any, config: ActiveConfiguration, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[dict[str, Any]] = []
        for setting in config.rules:
            rule = setting.rule
            on = f"{rule.name}__enabled"
            self.fields[on] = forms.BooleanField(label=_("Aan"), required=False, initial=setting.enabled)
            names = []
            for param in rule.params:
                key = f"{rule.name}__{param.name}"
                self.fields[key] = forms.IntegerField(
                    label=param.label_en if language.startswith("en") else param.label_nl,
                    min_value=param.minimum,
                    max_value=param.maximum,
                    initial=setting.params[param.name],
                )
                names.append(key)
            self.groups.append(
                {"rule": rule, "title": rule.title(language), "enabled": self[on], "params": [self[n] for n in names]}
            )

    def settings_data(self, config: ActiveConfiguration) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            s.rule.name: {
                "enabled": bool(data.get(f"{s.rule.name}__enabled")),
                "params": {p.name: data[f"{s.rule.name}__{p.name}"] for p in s.rule.params},
            }
            for s in config.rules
        }
