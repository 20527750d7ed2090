/// A property that is optional and nullable: not sent, sent as `null`, or
/// sent with a value. The three states differ on the wire (in a `PATCH`,
/// a property left out keeps the stored value, `null` clears it), so they
/// stay three here.
///
/// Read it with one call: `value()` is the value when there is one (`None`
/// when absent or `null`); match on the variants where absent and `null`
/// mean different things. An `Option<Option<T>>` would keep the same three
/// states but make every reader unwrap twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not sent: the property is left out when written.
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, when there is one: `None` when absent or `null`.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, when there is one, taken out: `None` when absent or `null`.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Whether the property is not sent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the property is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

/// Absent: a property nobody set is not sent.
impl<T> Default for Nullable<T> {
    fn default() -> Self {
        Self::Absent
    }
}

/// `Some(value)` is the value, `None` is `null`.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Null,
        }
    }
}

/// Written as the value, or `null`. An absent property is left out by its
/// struct's `Serialize`; written anyway (as an array item, say) it is
/// `null`.
impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

/// Read from a property that is present: `null` or a value. An absent
/// property never reaches this: its struct starts it as `Absent`.
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        <Option<T> as serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
    }
}
