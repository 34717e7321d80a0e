"""Demand forecasts for restock advice.

A variant with at least ``SEASONAL_MIN_DAYS`` days of history since its first sale is
forecast with statsmodels' Holt-Winters exponential smoothing (additive weekly season,
heuristic initial states, smoothing parameters fitted; no trend: small shops' daily sales
are too noisy for a trend to be trusted). A shorter history
uses the stated simple method: the average daily quantity of the last days (up to 28).
Forecasts are never negative.

Reorder advice: enough for the supplier's lead time plus the cover the shop wants to keep,
plus safety stock (1.65 x standard deviation of daily sales x √lead time, ~95% service),
minus what is available now.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

SEASONAL_MIN_DAYS = 28
SIMPLE_WINDOW = 28
HORIZON_DAYS = 14
LEAD_TIME_DAYS = 7
COVER_DAYS = 14
SERVICE_Z = 1.65

HOLT_WINTERS = "holt_winters"
AVERAGE = "average"


@dataclass(frozen=True)
class Forecast:
    """Expected units per day over the horizon and the method that produced them."""

    daily: list[float]
    method: str

    @property
    def per_day(self) -> float:
        return sum(self.daily) / len(self.daily) if self.daily else 0.0


def demand_forecast(history: np.ndarray, *, horizon: int = HORIZON_DAYS) -> Forecast:
    """Forecast ``horizon`` days from ``history`` (units per day, oldest first, ending today).

    ``history`` starts at the variant's first sale (leading days without sales trimmed)."""
    values = np.asarray(history, dtype=float)
    if len(values) >= SEASONAL_MIN_DAYS and np.count_nonzero(values) >= 3 and values.std() > 0:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing  # noqa: PLC0415

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fitted = ExponentialSmoothing(
                    values,
                    trend=None,
                    seasonal="add",
                    seasonal_periods=7,
                    initialization_method="heuristic",
                ).fit()
                predicted = np.clip(fitted.forecast(horizon), 0, None)
                if np.all(np.isfinite(predicted)):
                    return Forecast([float(value) for value in predicted], HOLT_WINTERS)
            except (ValueError, np.linalg.LinAlgError):
                pass
    return average_forecast(values, horizon=horizon)


def average_forecast(history: np.ndarray, *, horizon: int = HORIZON_DAYS) -> Forecast:
    """The simple method: the average daily quantity of the last ``SIMPLE_WINDOW`` days."""
    window = np.asarray(history, dtype=float)[-SIMPLE_WINDOW:]
    average = float(window.mean()) if len(window) else 0.0
    return Forecast([average] * horizon, AVERAGE)


def reorder_quantity(
    forecast: Forecast,
    history: np.ndarray,
    available: int,
    *,
    lead_time: int = LEAD_TIME_DAYS,
    cover: int = COVER_DAYS,
) -> int:
    """Units to order now so that stock lasts the lead time plus ``cover`` days."""
    window = np.asarray(history, dtype=float)[-SIMPLE_WINDOW:]
    deviation = float(window.std()) if len(window) > 1 else 0.0
    need = forecast.per_day * (lead_time + cover) + SERVICE_Z * deviation * math.sqrt(lead_time)
    return max(0, math.ceil(need - available - 1e-9))


def stock_cover_days(forecast: Forecast, available: int) -> float | None:
    """How many days the available stock lasts at the forecast rate (None: no demand)."""
    if forecast.per_day <= 0:
        return None
    return max(available, 0) / forecast.per_day
